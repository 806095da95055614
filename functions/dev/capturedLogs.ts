/**
 * Structured logs (firebase-functions' logger writes one JSON line per entry) are kept here instead
 * of flooding a test report or a benchmark's table, so tests can assert on them. `TEST_LOGS=1`
 * prints them too. Load it before anything imports firebase-functions, which captures the console
 * at load time.
 */
export const capturedLogs: Record<string, unknown>[] = [];

for (const method of ["debug", "info", "log", "warn", "error"] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    const [first] = args;
    if (
      args.length === 1 &&
      typeof first === "string" &&
      first.startsWith("{") &&
      first.includes('"severity"')
    ) {
      capturedLogs.push(JSON.parse(first) as Record<string, unknown>);
      if (!process.env.TEST_LOGS) return;
    }
    original(...args);
  };
}
