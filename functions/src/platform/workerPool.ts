/**
 * Hands what `source` yields to `workers` workers, each taking the next item as it finishes the
 * last, until the source ends or `stopped()` says so; then closes the source. `visit` must not
 * throw: what one item's trouble means is the caller's to decide.
 */
export async function drainWithWorkers<T>(
  source: AsyncGenerator<T>,
  workers: number,
  stopped: () => boolean,
  visit: (item: T) => Promise<void>,
): Promise<void> {
  const worker = async () => {
    while (!stopped()) {
      const next = await source.next();
      if (next.done) return;
      await visit(next.value);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  await source.return(undefined);
}
