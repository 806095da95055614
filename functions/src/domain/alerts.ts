/*
 * When to tell DataSell's operators that something needs them, decided from a handful of facts the
 * alert check gathers (alerts/alertCheck.ts). Pure: which conditions hold now, and what each change
 * of a condition sends. One message when a condition starts, unless one went out for it within the
 * throttle window; one when it clears, if its start was told.
 */

export interface AlertThresholds {
  /** No successful sync run for this long. */
  syncStaleMs: number;
  /** This many finished sync runs failing in a row. */
  failingRuns: number;
  /** Failed or unknown messages in the last hour. */
  badMessagesPerHour: number;
  /** Rejected webhook signatures in the last hour. */
  badSignaturesPerHour: number;
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  syncStaleMs: 15 * 60_000,
  failingRuns: 3,
  badMessagesPerHour: 10,
  badSignaturesPerHour: 10,
};

/** A sync run as the alert check sees it, newest first. */
export interface RunFact {
  finishedAtMs?: number;
  skipped: boolean;
  /** Finished having asked Datamart with at least one answer, or with nothing to ask. */
  succeeded: boolean;
}

export interface AlertFacts {
  nowMs: number;
  balance?: { level: string; ghs?: number };
  stalledNetworks: string[];
  /** The latest sync runs, newest first. */
  runs: RunFact[];
  badMessagesLastHour: number;
  refundsWaitingOverAnHour: number;
  /** Reconciliation cases found in the last day and still open. */
  newOpenCases: number;
  badSignaturesLastHour: number;
}

export interface Condition {
  /** Stable, and safe as a document id: `balance-low`, `stalled-MTN`. */
  id: string;
  /** What an operator reads, in a few words (it goes in an SMS). */
  text: string;
}

/** Whether a finished run did its job: not skipped, Datamart not down, not every check failed. */
export function runSucceeded(run: {
  skipped: boolean;
  finishedAt?: string;
  stoppedEarly?: string;
  checked: number;
  errors: number;
}): boolean {
  return (
    !run.skipped &&
    !!run.finishedAt &&
    run.stoppedEarly !== "provider-down" &&
    !(run.checked > 0 && run.errors >= run.checked)
  );
}

export function activeConditions(
  facts: AlertFacts,
  limits: AlertThresholds = DEFAULT_ALERT_THRESHOLDS,
): Condition[] {
  const active: Condition[] = [];
  const { balance } = facts;
  if (balance && balance.level !== "ok")
    active.push({
      id: `balance-${balance.level}`,
      text:
        balance.ghs === undefined
          ? "Datamart's balance could not be read"
          : `Datamart's balance is ${balance.level}: GHS ${balance.ghs.toFixed(2)}`,
    });
  const finished = facts.runs.filter((run) => !run.skipped && run.finishedAtMs !== undefined);
  const lastGood = finished.find((run) => run.succeeded)?.finishedAtMs;
  if (finished.length > 0 && (lastGood ?? 0) < facts.nowMs - limits.syncStaleMs)
    active.push({
      id: "sync-stale",
      text: `No successful sync run for ${Math.round(limits.syncStaleMs / 60_000)} minutes`,
    });
  const failing = finished.slice(0, limits.failingRuns);
  if (failing.length === limits.failingRuns && failing.every((run) => !run.succeeded))
    active.push({ id: "sync-failing", text: `${limits.failingRuns} sync runs failed in a row` });
  for (const network of facts.stalledNetworks)
    active.push({
      id: `stalled-${network.replace(/[^\w-]/g, "-")}`,
      text: `${network} orders are stalled at Datamart`,
    });
  if (facts.badMessagesLastHour >= limits.badMessagesPerHour)
    active.push({
      id: "messages-failing",
      text: `${facts.badMessagesLastHour} customer messages failed or unknown in the last hour`,
    });
  if (facts.refundsWaitingOverAnHour > 0)
    active.push({
      id: "refunds-waiting",
      text: `${facts.refundsWaitingOverAnHour} refunds have waited over an hour for an admin`,
    });
  if (facts.newOpenCases > 0)
    active.push({
      id: "reconciliation-cases",
      text: `${facts.newOpenCases} new reconciliation cases are open`,
    });
  if (facts.badSignaturesLastHour >= limits.badSignaturesPerHour)
    active.push({
      id: "webhook-signatures",
      text: `${facts.badSignaturesLastHour} webhooks with a bad signature in the last hour`,
    });
  return active;
}

/** `alerts/{id}`: one per condition ever seen; what it is now and what was told of it. */
export interface AlertState {
  id: string;
  active: boolean;
  text: string;
  /** When the current (or last) episode started, and cleared. */
  startedAtMs: number;
  clearedAtMs?: number;
  /** When a start message last went out for this condition. */
  lastToldAtMs?: number;
  /** Whether this episode's start was told (so its clearing is). */
  toldStart: boolean;
}

export type AlertChange =
  | { kind: "start"; state: AlertState; tell: boolean; message: string }
  | { kind: "clear"; state: AlertState; tell: boolean; message: string };

/** What changes for one condition, given its state and whether it holds now; undefined if nothing. */
export function alertChange(
  previous: AlertState | undefined,
  now: Condition | undefined,
  nowMs: number,
  throttleMs: number,
): AlertChange | undefined {
  if (now && !previous?.active) {
    const tell = !previous?.lastToldAtMs || nowMs - previous.lastToldAtMs >= throttleMs;
    return {
      kind: "start",
      tell,
      message: `DataSell alert: ${now.text}.`,
      state: {
        id: now.id,
        active: true,
        text: now.text,
        startedAtMs: nowMs,
        toldStart: tell,
        ...(tell
          ? { lastToldAtMs: nowMs }
          : previous?.lastToldAtMs
            ? { lastToldAtMs: previous.lastToldAtMs }
            : {}),
      },
    };
  }
  if (!now && previous?.active)
    return {
      kind: "clear",
      tell: previous.toldStart,
      message: `DataSell alert cleared: ${previous.text}.`,
      state: { ...previous, active: false, clearedAtMs: nowMs },
    };
  return undefined;
}

/** The operators' addresses in a comma-separated setting, trimmed, without empties or repeats. */
export const recipientsOf = (setting: string): string[] => [
  ...new Set(
    setting
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  ),
];

/** `webhookRejections/{YYYY-MM-DDTHH}`: the webhooks refused for their signature in that UTC hour. */
export const rejectionHour = (ms: number): string => new Date(ms).toISOString().slice(0, 13);

/** The phases of an alert, as its message records name them where an order's have a status. */
export type AlertPhase = "alert-start" | "alert-clear";
