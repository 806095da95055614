import { defineBoolean, defineInt, defineString } from "firebase-functions/params";
import { z } from "zod";
import { PROVIDER_TIMEOUT_MAX_MS, SYNC_TIMEOUT_SECONDS, TIME_MARGIN_SECONDS } from "./deployConfig";
import type { RefreshLimits } from "./orders/refreshQuota";
import { recipientsOf } from "./domain/alerts";
import { normalizeGhanaPhone } from "./domain/phone";
import { senderIdProblem } from "./domain/senderId";

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
    (n) => n <= PROVIDER_TIMEOUT_MAX_MS,
    `${name} must be at most ${PROVIDER_TIMEOUT_MAX_MS}: every job's time margin counts on it`,
  );
const httpUrl = (name: string) =>
  z.string().refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), {
    message: `${name} must be an http(s) URL`,
  });

type Check<T> = (name: string) => z.ZodType<T>;
interface Setting<T> {
  param: { value(): T };
  schema: z.ZodType<T>;
}
type Declared<T> = { default: T; description: string };
const int =
  (options: Declared<number>, check: Check<number> = positiveInt) =>
  (name: string): Setting<number> => ({ param: defineInt(name, options), schema: check(name) });
const text =
  (options: Declared<string>, check: Check<string>) =>
  (name: string): Setting<string> => ({ param: defineString(name, options), schema: check(name) });
const flag =
  (options: Declared<boolean>) =>
  (name: string): Setting<boolean> => ({
    param: defineBoolean(name, options),
    schema: z.boolean(),
  });

/** Each setting made under its own name: the param and its check. */
function declare<Table extends Record<string, (name: string) => Setting<unknown>>>(
  table: Table,
): { [Name in keyof Table]: ReturnType<Table[Name]> } {
  return Object.fromEntries(Object.entries(table).map(([name, make]) => [name, make(name)])) as {
    [Name in keyof Table]: ReturnType<Table[Name]>;
  };
}

/**
 * Every runtime setting, declared (a firebase-functions param with its default and description, which
 * firebase deploy and functions/.env know), validated and read from this one table.
 */
const SETTINGS = declare({
  DATAMART_BASE_URL: text(
    {
      default: "https://api.datamartgh.shop/api/developer",
      description: "Datamart developer API base URL",
    },
    httpUrl,
  ),
  DATAMART_TIMEOUT_MS: int(
    {
      default: 10_000,
      description: "Timeout of one Datamart request, in milliseconds (at most 10000)",
    },
    providerTimeout,
  ),
  SYNC_CONCURRENCY: int({
    default: 8,
    description: "Datamart status requests in flight at once during a sync run",
  }),
  SYNC_RATE_PER_MINUTE: int({
    default: 180,
    description: "Datamart status requests per minute (Datamart documents about 200/min)",
  }),
  SYNC_TIME_BUDGET_SECONDS: int({
    default: 240,
    description:
      "A sync run takes no new work after this many seconds (below the function timeout)",
  }),
  SYNC_FRESH_MINUTES: int({
    default: 60,
    description: "Orders placed less than this many minutes ago are checked on every pass of a run",
  }),
  SYNC_FRESH_INTERVAL_SECONDS: int({
    default: 90,
    description:
      "Seconds between a scheduled run's passes over young orders, while its budget lasts",
  }),
  SYNC_SWEEP_MINUTES: int({
    default: 60,
    description:
      "Every open order, whatever its age, is checked at least once in this many minutes",
  }),
  SYNC_ATTENTION_AFTER_HOURS: int({
    default: 24,
    description: "An order still open after this many hours is flagged needsAttention",
  }),
  SYNC_MAX_CONSECUTIVE_FAILURES: int({
    default: 5,
    description: "Transient Datamart failures in a row that end a sync run early",
  }),
  SYNC_FAILED_WATCH_HOURS: int(
    {
      default: 24,
      description:
        "Hours an order Datamart called failed is still asked about hourly (0: not at all)",
    },
    () =>
      z
        .number()
        .refine(
          (n) => Number.isInteger(n) && n >= 0,
          "SYNC_FAILED_WATCH_HOURS must be a whole number >= 0",
        ),
  ),
  RECONCILE_WINDOW_DAYS: int({
    default: 7,
    description:
      "Days of Datamart wallet movements the first reconciliation reads; each later one starts where the last ended",
  }),
  RECONCILE_RATE_PER_MINUTE: int({
    default: 10,
    description: "Datamart requests a minute for the reconciliation (with the sync's, within ~200)",
  }),
  SUPPLIER_BALANCE_LOW_GHS: int({
    default: 500,
    description: "DataSell's Datamart wallet at or below this many GHS is low (a warning)",
  }),
  SUPPLIER_BALANCE_CRITICAL_GHS: int({
    default: 100,
    description: "DataSell's Datamart wallet at or below this many GHS is critical",
  }),
  MNOTIFY_BASE_URL: text(
    {
      default: "https://api.mnotify.com/api",
      description: "mNotify BMS API base URL",
    },
    httpUrl,
  ),
  MNOTIFY_SENDER_ID: text(
    {
      default: "DataSell",
      description: "Registered SMS sender id: at most 11 characters, not numeric",
    },
    () =>
      z.string().superRefine((id, ctx) => {
        const problem = senderIdProblem(id);
        if (problem)
          ctx.addIssue({ code: "custom", message: `MNOTIFY_SENDER_ID is invalid: ${problem}` });
      }),
  ),
  MNOTIFY_TIMEOUT_MS: int(
    {
      default: 10_000,
      description: "Timeout of one mNotify request, in milliseconds (at most 10000)",
    },
    providerTimeout,
  ),
  NOTIFY_RETRY_HOURS: int({
    default: 6,
    description:
      "Hours a message its provider did not take is tried again (capped backoff) before it is FAILED",
  }),
  NOTIFY_MAX_ORDER_AGE_HOURS: int({
    default: 48,
    description:
      "A status change to an order placed longer ago is not told to the customer (but a failed order's late delivery within its watch)",
  }),
  ORDER_REFRESHES_PER_MINUTE: int({
    default: 5,
    description: "Status refreshes (each may ask Datamart) one user may request per minute",
  }),
  ORDER_REFRESHES_ALL_USERS_PER_MINUTE: int({
    default: 10,
    description:
      "Datamart requests all users' status refreshes together may make per minute (their share of ~200)",
  }),
  WALLET_REFUNDS: flag({
    // Off until the operator switches it on, after DataSell's own refund path is off (docs/going-live.md).
    default: false,
    description:
      "Credit a failed or cancelled wallet order back to the wallet (only once DataSell's app no longer refunds)",
  }),
  WEBHOOK_RETENTION_DAYS: int({
    default: 30,
    description: "Days a received Datamart webhook event is kept (Firestore TTL on expireAt)",
  }),
  MESSAGE_RETENTION_DAYS: int({
    default: 90,
    description:
      "Days a customer message's records (orderNotifications, in-app notifications, mail) are kept (Firestore TTL on expireAt)",
  }),
  RUN_RETENTION_DAYS: int({
    default: 30,
    description:
      "Days a run summary (syncRuns, notificationSweeps, syncRequests) is kept (Firestore TTL on expireAt)",
  }),
  WEBHOOK_MAX_AGE_MINUTES: int({
    default: 60,
    description: "A signed webhook whose own timestamp is older than this is refused as a replay",
  }),
  NOTIFY_SMS: flag({
    default: true,
    description: "Send SMS at all (each customer may still opt out in notificationPreferences)",
  }),
  NOTIFY_PUSH: flag({
    default: true,
    description: "Send push notifications at all (each customer may still opt out)",
  }),
  NOTIFY_EMAIL: flag({
    default: true,
    description: "Queue emails at all (customers opt in; email is off by default for each)",
  }),
  MAIL_COLLECTION: text(
    {
      default: "mail",
      description: "The Trigger Email extension's collection",
    },
    () =>
      z
        .string()
        .regex(
          /^[A-Za-z0-9_-]+$/,
          "MAIL_COLLECTION must be a collection name (letters, digits, - and _)",
        ),
  ),
  ORDER_LINK_BASE: text(
    {
      default: "https://datasell.web.app/orders/",
      description: "A push notification opens this URL followed by the order id",
    },
    httpUrl,
  ),
  FCM_TRANSPORT_URL: text(
    {
      default: "",
      description:
        "Empty in production (FCM itself); the emulators point push at a local stand-in here",
    },
    () =>
      z
        .string()
        .refine(
          (url) => url === "" || /^http:\/\/127\.0\.0\.1:\d+\/?$/.test(url),
          "FCM_TRANSPORT_URL must be empty (FCM itself) or a stand-in on http://127.0.0.1:PORT",
        ),
  ),
  ALERT_SMS_TO: text(
    {
      default: "",
      description: "Operators' phone numbers (comma-separated) that get DataSell's alerts by SMS",
    },
    () =>
      z
        .string()
        .refine(
          (list) => recipientsOf(list).every((phone) => normalizeGhanaPhone(phone)),
          "ALERT_SMS_TO must be Ghana phone numbers (024…, 23324… or +23324…), comma-separated",
        ),
  ),
  ALERT_EMAIL_TO: text(
    {
      default: "",
      description: "Operators' email addresses (comma-separated) that get DataSell's alerts",
    },
    () =>
      z
        .string()
        .refine(
          (list) =>
            recipientsOf(list).every((address) => /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/.test(address)),
          "ALERT_EMAIL_TO must be email addresses, comma-separated",
        ),
  ),
  ALERT_THROTTLE_HOURS: int({
    default: 6,
    description:
      "A condition that starts again within this many hours of its last alert is not re-sent",
  }),
});

const rawSettingsSchema = z.object(
  Object.fromEntries(Object.entries(SETTINGS).map(([name, s]) => [name, s.schema])) as {
    [Name in keyof typeof SETTINGS]: (typeof SETTINGS)[Name]["schema"];
  },
);

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
    (SYNC_TIMEOUT_SECONDS - TIME_MARGIN_SECONDS) * 1000 - PROVIDER_TIMEOUT_MAX_MS,
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
  return parseSettings(
    Object.fromEntries(Object.entries(SETTINGS).map(([name, s]) => [name, s.param.value()])),
  );
}
