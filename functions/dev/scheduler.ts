/**
 * Invokes a job every `everySeconds`, never two at once (a slow run delays the next), as Cloud
 * Scheduler with `maxInstances: 1` would. Returns a function that stops it.
 */
export function startScheduler(everySeconds: number, job: () => Promise<void>): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = (): void => {
    timer = setTimeout(() => {
      void job().finally(() => {
        if (!stopped) tick();
      });
    }, everySeconds * 1000);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
