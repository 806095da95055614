import { z } from "zod";
import * as params from "./config";
import type { RefreshLimits } from "./orders/refreshQuota";
import { recipientsOf } from "./domain/alerts";
import { normalizeGhanaPhone } from "./domain/phone";
import { senderIdProblem } from "./providers/mnotify";

/*
 * The one reader of plain params: each invocation reads every one once, here, and validates it.
 * firebase-functions turns an integer param that does not parse into 0 without a word; this refuses
 * it with a message that names the param. Secrets are read where their client is built (wiring.ts),
 * by the functions that bind them.
 */

const positiveInt = (name: string) =>
  z.number().refine((n) => Number.isInteger(n) && n >= 1, `${name} must be a whole number >= 1`);
const providerTimeout = (name: string) =>
  positiveInt(name).refine(
    (n) => n <= params.PROVIDER_TIMEOUT_MAX_MS,
    `${name} must be at most ${params.PROVIDER_TIMEOUT_MAX_MS}: every job's time margin counts on it`,
  );
const httpUrl = (name: string) =>
  z.string().refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), {
    message: `${name} must be an http(s) URL`,
  });

const rawSettingsSchema = z.object({
  DATAMART_BASE_URL: httpUrl("DATAMART_BASE_URL"),
  DATAMART_TIMEOUT_MS: providerTimeout("DATAMART_TIMEOUT_MS"),
  SYNC_CONCURRENCY: positiveInt("SYNC_CONCURRENCY"),
  SYNC_RATE_PER_MINUTE: positiveInt("SYNC_RATE_PER_MINUTE"),
  SYNC_TIME_BUDGET_SECONDS: positiveInt("SYNC_TIME_BUDGET_SECONDS"),
  SYNC_FRESH_MINUTES: positiveInt("SYNC_FRESH_MINUTES"),
  SYNC_FRESH_INTERVAL_SECONDS: positiveInt("SYNC_FRESH_INTERVAL_SECONDS"),
  SYNC_SWEEP_MINUTES: positiveInt("SYNC_SWEEP_MINUTES"),
  SYNC_ATTENTION_AFTER_HOURS: positiveInt("SYNC_ATTENTION_AFTER_HOURS"),
  SYNC_MAX_CONSECUTIVE_FAILURES: positiveInt("SYNC_MAX_CONSECUTIVE_FAILURES"),
  SYNC_FAILED_WATCH_HOURS: z
    .number()
    .refine(
      (n) => Number.isInteger(n) && n >= 0,
      "SYNC_FAILED_WATCH_HOURS must be a whole number >= 0",
    ),
  RECONCILE_WINDOW_DAYS: positiveInt("RECONCILE_WINDOW_DAYS"),
  RECONCILE_RATE_PER_MINUTE: positiveInt("RECONCILE_RATE_PER_MINUTE"),
  SUPPLIER_BALANCE_LOW_GHS: positiveInt("SUPPLIER_BALANCE_LOW_GHS"),
  SUPPLIER_BALANCE_CRITICAL_GHS: positiveInt("SUPPLIER_BALANCE_CRITICAL_GHS"),
  MNOTIFY_BASE_URL: httpUrl("MNOTIFY_BASE_URL"),
  MNOTIFY_SENDER_ID: z.string().superRefine((id, ctx) => {
    const problem = senderIdProblem(id);
    if (problem)
      ctx.addIssue({ code: "custom", message: `MNOTIFY_SENDER_ID is invalid: ${problem}` });
  }),
  MNOTIFY_TIMEOUT_MS: providerTimeout("MNOTIFY_TIMEOUT_MS"),
  NOTIFY_RETRY_HOURS: positiveInt("NOTIFY_RETRY_HOURS"),
  NOTIFY_MAX_ORDER_AGE_HOURS: positiveInt("NOTIFY_MAX_ORDER_AGE_HOURS"),
  ORDER_REFRESHES_PER_MINUTE: positiveInt("ORDER_REFRESHES_PER_MINUTE"),
  ORDER_REFRESHES_ALL_USERS_PER_MINUTE: positiveInt("ORDER_REFRESHES_ALL_USERS_PER_MINUTE"),
  WALLET_REFUNDS: z.boolean(),
  WEBHOOK_RETENTION_DAYS: positiveInt("WEBHOOK_RETENTION_DAYS"),
  MESSAGE_RETENTION_DAYS: positiveInt("MESSAGE_RETENTION_DAYS"),
  RUN_RETENTION_DAYS: positiveInt("RUN_RETENTION_DAYS"),
  WEBHOOK_MAX_AGE_MINUTES: positiveInt("WEBHOOK_MAX_AGE_MINUTES"),
  NOTIFY_SMS: z.boolean(),
  NOTIFY_PUSH: z.boolean(),
  NOTIFY_EMAIL: z.boolean(),
  MAIL_COLLECTION: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]+$/,
      "MAIL_COLLECTION must be a collection name (letters, digits, - and _)",
    ),
  ORDER_LINK_BASE: httpUrl("ORDER_LINK_BASE"),
  FCM_TRANSPORT_URL: z
    .string()
    .refine(
      (url) => url === "" || /^http:\/\/127\.0\.0\.1:\d+\/?$/.test(url),
      "FCM_TRANSPORT_URL must be empty (FCM itself) or a stand-in on http://127.0.0.1:PORT",
    ),
  ALERT_SMS_TO: z
    .string()
    .refine(
      (list) => recipientsOf(list).every((phone) => normalizeGhanaPhone(phone)),
      "ALERT_SMS_TO must be Ghana phone numbers (024…, 23324… or +23324…), comma-separated",
    ),
  ALERT_EMAIL_TO: z
    .string()
    .refine(
      (list) =>
        recipientsOf(list).every((address) => /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/.test(address)),
      "ALERT_EMAIL_TO must be email addresses, comma-separated",
    ),
  ALERT_THROTTLE_HOURS: positiveInt("ALERT_THROTTLE_HOURS"),
});

export class SettingsError extends Error {
  override name = "SettingsError";
}

export interface Settings {
  datamart: { baseUrl: string; timeoutMs: number };
  sync: {
    concurrency: number;
    ratePerMinute: number;
    timeBudgetMs: number;
    freshForMs: number;
    freshIntervalMs: number;
    sweepPeriodMs: number;
    attentionAfterMs: number;
    maxConsecutiveFailures: number;
  };
  reconcile: { windowDays: number; ratePerMinute: number; timeBudgetMs: number };
  supplierThresholds: { lowGhs: number; criticalGhs: number };
  /** How long an order Datamart called failed stays under watch; 0: not at all. */
  failedWatchMs: number;
  mnotify: { baseUrl: string; senderId: string; timeoutMs: number };
  retryWindowMs: number;
  /** Changes to orders placed longer ago than this are not told to the customer. */
  maxOrderAgeMs: number;
  refreshLimits: RefreshLimits;
  walletRefunds: boolean;
  webhook: { retentionDays: number; maxAgeMinutes: number };
  /** How long log-like records are kept (Firestore TTL on their `expireAt`). */
  retention: { messagesMs: number; runsMs: number };
  /** Channels switched on for everyone (each customer's preferences apply on top). */
  channels: { sms: boolean; push: boolean; email: boolean };
  mailCollection: string;
  orderLinkBase: string;
  /** Empty: FCM itself. */
  fcmTransportUrl: string;
  /** Who gets operators' alerts (SMS numbers as 233…, email addresses), and how often at most. */
  alerts: { sms: string[]; email: string[]; throttleMs: number };
}

/**
 * A sync or reconciliation run's budget: what is asked for, but never so long that a Datamart request
 * started just before it ends, plus the margin, passes the function's timeout.
 */
const runBudgetMs = (seconds: number): number =>
  Math.min(
    seconds * 1000,
    (params.SYNC_TIMEOUT_SECONDS - params.TIME_MARGIN_SECONDS) * 1000 -
      params.PROVIDER_TIMEOUT_MAX_MS,
  );

/** Validates raw param values (by param name) into settings, or throws naming each bad param. */
export function parseSettings(raw: Record<string, unknown>): Settings {
  const parsed = rawSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.code === "invalid_type"
        ? `${issue.path.join(".")} is missing or not a ${issue.expected}`
        : issue.message,
    );
    throw new SettingsError(`Invalid configuration: ${problems.join("; ")}`);
  }
  const p = parsed.data;
  return {
    datamart: { baseUrl: p.DATAMART_BASE_URL, timeoutMs: p.DATAMART_TIMEOUT_MS },
    sync: {
      concurrency: p.SYNC_CONCURRENCY,
      ratePerMinute: p.SYNC_RATE_PER_MINUTE,
      timeBudgetMs: runBudgetMs(p.SYNC_TIME_BUDGET_SECONDS),
      freshForMs: p.SYNC_FRESH_MINUTES * 60_000,
      freshIntervalMs: p.SYNC_FRESH_INTERVAL_SECONDS * 1000,
      sweepPeriodMs: p.SYNC_SWEEP_MINUTES * 60_000,
      attentionAfterMs: p.SYNC_ATTENTION_AFTER_HOURS * 3_600_000,
      maxConsecutiveFailures: p.SYNC_MAX_CONSECUTIVE_FAILURES,
    },
    failedWatchMs: p.SYNC_FAILED_WATCH_HOURS * 3_600_000,
    supplierThresholds: {
      lowGhs: p.SUPPLIER_BALANCE_LOW_GHS,
      criticalGhs: p.SUPPLIER_BALANCE_CRITICAL_GHS,
    },
    reconcile: {
      windowDays: p.RECONCILE_WINDOW_DAYS,
      ratePerMinute: p.RECONCILE_RATE_PER_MINUTE,
      // The same budget as a sync run: both functions time out at 300 s.
      timeBudgetMs: runBudgetMs(p.SYNC_TIME_BUDGET_SECONDS),
    },
    mnotify: {
      baseUrl: p.MNOTIFY_BASE_URL,
      senderId: p.MNOTIFY_SENDER_ID,
      timeoutMs: p.MNOTIFY_TIMEOUT_MS,
    },
    retryWindowMs: p.NOTIFY_RETRY_HOURS * 3_600_000,
    maxOrderAgeMs: p.NOTIFY_MAX_ORDER_AGE_HOURS * 3_600_000,
    refreshLimits: {
      perUser: p.ORDER_REFRESHES_PER_MINUTE,
      allUsers: p.ORDER_REFRESHES_ALL_USERS_PER_MINUTE,
    },
    walletRefunds: p.WALLET_REFUNDS,
    webhook: {
      retentionDays: p.WEBHOOK_RETENTION_DAYS,
      maxAgeMinutes: p.WEBHOOK_MAX_AGE_MINUTES,
    },
    retention: {
      messagesMs: p.MESSAGE_RETENTION_DAYS * 86_400_000,
      runsMs: p.RUN_RETENTION_DAYS * 86_400_000,
    },
    channels: { sms: p.NOTIFY_SMS, push: p.NOTIFY_PUSH, email: p.NOTIFY_EMAIL },
    mailCollection: p.MAIL_COLLECTION,
    orderLinkBase: p.ORDER_LINK_BASE,
    fcmTransportUrl: p.FCM_TRANSPORT_URL,
    alerts: {
      sms: [...new Set(recipientsOf(p.ALERT_SMS_TO).map((phone) => normalizeGhanaPhone(phone)!))],
      email: recipientsOf(p.ALERT_EMAIL_TO),
      throttleMs: p.ALERT_THROTTLE_HOURS * 3_600_000,
    },
  };
}

/** Every plain param's value now, validated. Call once per invocation. */
export function readSettings(): Settings {
  return parseSettings({
    DATAMART_BASE_URL: params.datamartBaseUrl.value(),
    DATAMART_TIMEOUT_MS: params.datamartTimeoutMs.value(),
    SYNC_CONCURRENCY: params.syncConcurrency.value(),
    SYNC_RATE_PER_MINUTE: params.syncRatePerMinute.value(),
    SYNC_TIME_BUDGET_SECONDS: params.syncTimeBudgetSeconds.value(),
    SYNC_FRESH_MINUTES: params.syncFreshMinutes.value(),
    SYNC_FRESH_INTERVAL_SECONDS: params.syncFreshIntervalSeconds.value(),
    SYNC_SWEEP_MINUTES: params.syncSweepMinutes.value(),
    SYNC_ATTENTION_AFTER_HOURS: params.syncAttentionAfterHours.value(),
    SYNC_MAX_CONSECUTIVE_FAILURES: params.syncMaxConsecutiveFailures.value(),
    SYNC_FAILED_WATCH_HOURS: params.syncFailedWatchHours.value(),
    RECONCILE_WINDOW_DAYS: params.reconcileWindowDays.value(),
    RECONCILE_RATE_PER_MINUTE: params.reconcileRatePerMinute.value(),
    SUPPLIER_BALANCE_LOW_GHS: params.supplierBalanceLowGhs.value(),
    SUPPLIER_BALANCE_CRITICAL_GHS: params.supplierBalanceCriticalGhs.value(),
    MNOTIFY_BASE_URL: params.mnotifyBaseUrl.value(),
    MNOTIFY_SENDER_ID: params.mnotifySenderId.value(),
    MNOTIFY_TIMEOUT_MS: params.mnotifyTimeoutMs.value(),
    NOTIFY_RETRY_HOURS: params.notifyRetryHours.value(),
    NOTIFY_MAX_ORDER_AGE_HOURS: params.notifyMaxOrderAgeHours.value(),
    ORDER_REFRESHES_PER_MINUTE: params.orderRefreshesPerMinute.value(),
    ORDER_REFRESHES_ALL_USERS_PER_MINUTE: params.orderRefreshesAllUsersPerMinute.value(),
    WALLET_REFUNDS: params.walletRefunds.value(),
    WEBHOOK_RETENTION_DAYS: params.webhookRetentionDays.value(),
    MESSAGE_RETENTION_DAYS: params.messageRetentionDays.value(),
    RUN_RETENTION_DAYS: params.runRetentionDays.value(),
    WEBHOOK_MAX_AGE_MINUTES: params.webhookMaxAgeMinutes.value(),
    NOTIFY_SMS: params.notifySms.value(),
    NOTIFY_PUSH: params.notifyPush.value(),
    NOTIFY_EMAIL: params.notifyEmail.value(),
    MAIL_COLLECTION: params.mailCollection.value(),
    ORDER_LINK_BASE: params.orderLinkBase.value(),
    FCM_TRANSPORT_URL: params.fcmTransportUrl.value(),
    ALERT_SMS_TO: params.alertSmsTo.value(),
    ALERT_EMAIL_TO: params.alertEmailTo.value(),
    ALERT_THROTTLE_HOURS: params.alertThrottleHours.value(),
  });
}
