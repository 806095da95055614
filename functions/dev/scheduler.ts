/**
 * Invokes a job every `everySeconds`, never two at once (a slow run delays the next), as Cloud
 * Scheduler with `maxInstances: 1` would, for as long as the process lives. A failed run is reported
 * and the schedule goes on.
 */
export function startScheduler(
  everySeconds: number,
  job: () => Promise<void>,
  onError: (error: unknown) => void,
): void {
  const tick = (): void => {
    setTimeout(() => void job().catch(onError).finally(tick), everySeconds * 1000);
  };
  tick();
}
