/**
 * Starts a job every `everySeconds` (counted from the last start, as Cloud Scheduler fires on the
 * clock), never two at once (a run longer than the period delays the next), as `maxInstances: 1`
 * would, for as long as the process lives. A failed run is reported and the schedule goes on.
 */
export function startScheduler(
  everySeconds: number,
  job: () => Promise<void>,
  onError: (error: unknown) => void,
): void {
  const tick = (delayMs: number): void => {
    setTimeout(() => {
      const started = Date.now();
      void job()
        .catch(onError)
        .finally(() => tick(Math.max(0, started + everySeconds * 1000 - Date.now())));
    }, delayMs);
  };
  tick(everySeconds * 1000);
}
