import * as logger from "firebase-functions/logger";

/** `233241234567` -> `23324*****67`: enough to tell numbers apart in support, not enough to call. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return "";
  const digits = phone.replace(/\D/g, "");
  if (digits.length <= 7) return "*".repeat(digits.length);
  return `${digits.slice(0, 5)}${"*".repeat(digits.length - 7)}${digits.slice(-2)}`;
}

export { logger };

export function logStatusChanged(orderId: string, from: string, to: string, source: string): void {
  logger.info("Order status changed", { orderId, from, to, source });
}

export function logUnknownDatamartStatus(orderId: string, datamartStatus: string): void {
  logger.warn("Unknown Datamart order status: order left unchanged", {
    orderId,
    datamartStatus,
    alert: true,
  });
}

/** A wallet movement (pesewas, signed), or why an admin has to decide instead. */
export function logWalletMove(
  orderId: string,
  kind: string,
  amountPesewas: number,
  reason?: string,
): void {
  if (reason) logger.warn("Wallet refund needs an admin", { orderId, kind, reason, alert: true });
  else logger.info("Wallet moved", { orderId, kind, amountPesewas });
}

/** An order document this system cannot read: which fields, never their values. */
export function logDamagedOrder(orderId: string, fields: string[]): void {
  logger.error("Order record does not parse", { orderId, fields, alert: true });
}

export function logNeedsAttention(orderId: string, reason: string): void {
  logger.warn("Order needs attention", { orderId, reason });
}

export function logOrderAdopted(orderId: string, reason: string): void {
  logger.info("Order adopted for the next sync run", { orderId, reason });
}

function errorFields(error: unknown): Record<string, unknown> {
  return error instanceof Error
    ? {
        errorName: error.name,
        error: error.message,
        ...("kind" in error ? { kind: error.kind } : {}),
      }
    : { error: String(error) };
}

export function logSyncOrderFailed(orderId: string, error: unknown): void {
  logger.warn("Datamart status check failed", { orderId, ...errorFields(error) });
}

export function logRefreshFailed(orderId: string, error: unknown): void {
  logger.warn("User refresh: Datamart status check failed", { orderId, ...errorFields(error) });
}

/**
 * Server-side only: the stack stays in the logs, never in an answer. The Error itself is logged, so
 * its stack is the entry's message and Cloud Error Reporting groups by where it was thrown.
 */
export function logUnexpectedError(where: string, error: unknown): void {
  logger.error(`Unexpected error in ${where}:`, error, { where, ...errorFields(error) });
}

/**
 * Supplier health as structured fields: `alert: true` (a warning) when the Datamart balance is low,
 * critical or unknown, or when over a fifth of a network's orders of the last 24 hours are still open
 * past an hour, so a log-based alert can fire on it.
 */
export function logSupplierHealth(health: {
  balance?: number;
  level: string;
  daysOfCover: number | null;
  delivery: { today: Record<string, { p95Minutes: number | null }> };
  stalledNetworks: string[];
}): void {
  const alert = health.level !== "ok" || health.stalledNetworks.length > 0;
  const fields = {
    balance: health.balance,
    level: health.level,
    daysOfCover: health.daysOfCover,
    stalledNetworks: health.stalledNetworks,
    p95MinutesByNetwork: Object.fromEntries(
      Object.entries(health.delivery.today).map(([network, n]) => [network, n.p95Minutes]),
    ),
    alert,
  };
  if (alert) logger.warn("Supplier health", fields);
  else logger.info("Supplier health", fields);
}

export function logReconciliationCompleted(report: object): void {
  logger.info("Datamart reconciliation run completed", report);
}

export function logSyncCompleted(summary: object): void {
  logger.info("Datamart sync completed", summary);
}

/** How a customer message ended this time; the number masked, never the message text. */
export function logNotificationOutcome(
  notificationId: string,
  recipient: string | null,
  state: string,
  details: { providerIds?: object; lastError?: object; reason?: string },
): void {
  const fields = { notificationId, recipient: maskPhone(recipient), state, ...details };
  if (state === "SENT" || state === "PENDING" || state === "SKIPPED")
    logger.info(`Notification ${state}`, fields);
  else logger.warn(`Notification ${state}`, { ...fields, alert: state === "UNKNOWN" });
}

export function logNotificationSweep(summary: object): void {
  logger.info("Notification sweep completed", summary);
}

/** No body content: it carries the customer's phone number. */
export function logWebhookRejected(reason: string, bodyBytes: number): void {
  logger.warn("Datamart webhook rejected", { reason, bodyBytes });
}

export function logWebhookEvent(event: string, outcome: string, orderId?: string): void {
  logger.info("Datamart webhook received", { event, outcome, orderId });
}

/** A status-change event the platform retried past the retry window: its messages were never made. */
export function logStatusEventDropped(orderId: string, eventTime: string): void {
  logger.error("Status change event too old to retry: no message made for it", {
    orderId,
    eventTime,
    alert: true,
  });
}

/** A sync run that ended without its summary, found by the run that took its expired lease. */
export function logSyncRunCrashed(runId: string): void {
  logger.error("Sync run ended without a summary: its lease expired", { runId, alert: true });
}

/** An operators' alert started or cleared; `alert: true` so log-based alerting sees it too. */
export function logAlertChange(id: string, kind: string, told: boolean, message: string): void {
  logger.warn("Operators' alert", { alertId: id, kind, told, message, alert: kind === "start" });
}
