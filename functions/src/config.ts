import { defineBoolean, defineInt, defineSecret, defineString } from "firebase-functions/params";

// Every setting is declared here once. Values are read with `.value()` at run time only.

export const datamartBaseUrl = defineString("DATAMART_BASE_URL", {
  default: "https://api.datamartgh.shop/api/developer",
  description: "Datamart developer API base URL",
});
/**
 * The longest a provider request may take (DATAMART_TIMEOUT_MS, MNOTIFY_TIMEOUT_MS): every job's
 * time margin counts on it, and an answer slower than this is as good as none.
 */
export const PROVIDER_TIMEOUT_MAX_MS = 10_000;
/** Every function ends at least this long before its timeout (test/settings.test.ts holds each). */
export const TIME_MARGIN_SECONDS = 30;

export const datamartTimeoutMs = defineInt("DATAMART_TIMEOUT_MS", {
  default: 10_000,
  description: "Timeout of one Datamart request, in milliseconds (at most 10000)",
});
export const datamartApiKey = defineSecret("DATAMART_API_KEY");

export const syncConcurrency = defineInt("SYNC_CONCURRENCY", {
  default: 8,
  description: "Datamart status requests in flight at once during a sync run",
});
export const syncRatePerMinute = defineInt("SYNC_RATE_PER_MINUTE", {
  default: 180,
  description: "Datamart status requests per minute (Datamart documents about 200/min)",
});
export const syncTimeBudgetSeconds = defineInt("SYNC_TIME_BUDGET_SECONDS", {
  default: 240,
  description: "A sync run takes no new work after this many seconds (below the function timeout)",
});
export const syncFreshMinutes = defineInt("SYNC_FRESH_MINUTES", {
  default: 60,
  description: "Orders placed less than this many minutes ago are checked on every pass of a run",
});
export const syncFreshIntervalSeconds = defineInt("SYNC_FRESH_INTERVAL_SECONDS", {
  default: 90,
  description: "Seconds between a scheduled run's passes over young orders, while its budget lasts",
});
export const syncSweepMinutes = defineInt("SYNC_SWEEP_MINUTES", {
  default: 60,
  description: "Every open order, whatever its age, is checked at least once in this many minutes",
});
export const syncAttentionAfterHours = defineInt("SYNC_ATTENTION_AFTER_HOURS", {
  default: 24,
  description: "An order still open after this many hours is flagged needsAttention",
});
export const syncFailedWatchHours = defineInt("SYNC_FAILED_WATCH_HOURS", {
  default: 24,
  description: "Hours an order Datamart called failed is still asked about hourly (0: not at all)",
});
export const syncMaxConsecutiveFailures = defineInt("SYNC_MAX_CONSECUTIVE_FAILURES", {
  default: 5,
  description: "Transient Datamart failures in a row that end a sync run early",
});

/**
 * The sync schedule. firebase-functions types `onSchedule`'s schedule as a plain string fixed at
 * deploy time (not a param expression), so it is read from the deploy environment (`functions/.env`).
 */
export const SYNC_SCHEDULE = process.env.SYNC_SCHEDULE ?? "every 5 minutes";
/** The scheduled function's timeout; the time budget above must stay below it. */
export const SYNC_TIMEOUT_SECONDS = 300;
/**
 * The HTTPS api's (and the admin sync callable's) timeout: Hosting's rewrite cuts a request at 60 s,
 * and the longest route, the admin's sync, answers within its 20 s wait for a run (sync/adminSync.ts).
 */
export const API_TIMEOUT_SECONDS = 60;
/** The notification sweep's timeout, and its budget: it never starts a send it cannot finish. */
export const SWEEP_TIMEOUT_SECONDS = 120;
export const SWEEP_TIME_BUDGET_MS = (SWEEP_TIMEOUT_SECONDS - TIME_MARGIN_SECONDS) * 1000;
/** The SMS retry sweep's schedule, from the deploy environment like the sync's. */
export const SMS_RETRY_SCHEDULE = process.env.SMS_RETRY_SCHEDULE ?? "every 5 minutes";
/**
 * The reconciliation's schedule (Ghana time), from the deploy environment like the sync's: every 5
 * minutes from 03:00 to 04:55, each run going on with the day's report until it is complete (then
 * the rest return at once), so a report of 20,000 orders finishes on Datamart's 10 requests a minute.
 */
export const RECONCILE_SCHEDULE = process.env.RECONCILE_SCHEDULE ?? "*/5 3-4 * * *";

/** How often supplier health (Datamart balance, delivery times) is checked and logged. */
export const SUPPLIER_HEALTH_SCHEDULE = process.env.SUPPLIER_HEALTH_SCHEDULE ?? "every 30 minutes";

export const supplierBalanceLowGhs = defineInt("SUPPLIER_BALANCE_LOW_GHS", {
  default: 500,
  description: "DataSell's Datamart wallet at or below this many GHS is low (a warning)",
});
export const supplierBalanceCriticalGhs = defineInt("SUPPLIER_BALANCE_CRITICAL_GHS", {
  default: 100,
  description: "DataSell's Datamart wallet at or below this many GHS is critical",
});

export const reconcileWindowDays = defineInt("RECONCILE_WINDOW_DAYS", {
  default: 7,
  description:
    "Days of Datamart wallet movements the first reconciliation reads; each later one starts where the last ended",
});
export const reconcileRatePerMinute = defineInt("RECONCILE_RATE_PER_MINUTE", {
  default: 10,
  description: "Datamart requests a minute for the reconciliation (with the sync's, within ~200)",
});

export const mnotifyBaseUrl = defineString("MNOTIFY_BASE_URL", {
  default: "https://api.mnotify.com/api",
  description: "mNotify BMS API base URL",
});
export const mnotifySenderId = defineString("MNOTIFY_SENDER_ID", {
  default: "DataSell",
  description: "Registered SMS sender id: at most 11 characters, not numeric",
});
export const mnotifyTimeoutMs = defineInt("MNOTIFY_TIMEOUT_MS", {
  default: 10_000,
  description: "Timeout of one mNotify request, in milliseconds (at most 10000)",
});
export const mnotifyApiKey = defineSecret("MNOTIFY_API_KEY");
export const notifyRetryHours = defineInt("NOTIFY_RETRY_HOURS", {
  default: 6,
  description:
    "Hours a message its provider did not take is tried again (capped backoff) before it is FAILED",
});

export const notifySms = defineBoolean("NOTIFY_SMS", {
  default: true,
  description: "Send SMS at all (each customer may still opt out in notificationPreferences)",
});
export const notifyPush = defineBoolean("NOTIFY_PUSH", {
  default: true,
  description: "Send push notifications at all (each customer may still opt out)",
});
export const notifyEmail = defineBoolean("NOTIFY_EMAIL", {
  default: true,
  description: "Queue emails at all (customers opt in; email is off by default for each)",
});
export const mailCollection = defineString("MAIL_COLLECTION", {
  default: "mail",
  description: "The Trigger Email extension's collection",
});
export const orderLinkBase = defineString("ORDER_LINK_BASE", {
  default: "https://datasell.web.app/orders/",
  description: "A push notification opens this URL followed by the order id",
});
export const fcmTransportUrl = defineString("FCM_TRANSPORT_URL", {
  default: "",
  description:
    "Empty in production (FCM itself); the emulators point push at a local stand-in here",
});

export const notifyMaxOrderAgeHours = defineInt("NOTIFY_MAX_ORDER_AGE_HOURS", {
  default: 48,
  description:
    "A status change to an order placed longer ago is not told to the customer (but a failed order's late delivery within its watch)",
});

export const orderRefreshesPerMinute = defineInt("ORDER_REFRESHES_PER_MINUTE", {
  default: 5,
  description: "Status refreshes (each may ask Datamart) one user may request per minute",
});

export const orderRefreshesAllUsersPerMinute = defineInt("ORDER_REFRESHES_ALL_USERS_PER_MINUTE", {
  default: 10,
  description:
    "Datamart requests all users' status refreshes together may make per minute (their share of ~200)",
});

export const walletRefunds = defineBoolean("WALLET_REFUNDS", {
  // Off until the operator switches it on, after DataSell's own refund path is off (docs/going-live.md).
  default: false,
  description:
    "Credit a failed or cancelled wallet order back to the wallet (only once DataSell's app no longer refunds)",
});

export const messageRetentionDays = defineInt("MESSAGE_RETENTION_DAYS", {
  default: 90,
  description:
    "Days a customer message's records (orderNotifications, in-app notifications, mail) are kept (Firestore TTL on expireAt)",
});

export const runRetentionDays = defineInt("RUN_RETENTION_DAYS", {
  default: 30,
  description:
    "Days a run summary (syncRuns, notificationSweeps, syncRequests) is kept (Firestore TTL on expireAt)",
});

export const datamartWebhookSecret = defineSecret("DATAMART_WEBHOOK_SECRET");
export const webhookRetentionDays = defineInt("WEBHOOK_RETENTION_DAYS", {
  default: 30,
  description: "Days a received Datamart webhook event is kept (Firestore TTL on expireAt)",
});
export const apiMaxInstances = defineInt("API_MAX_INSTANCES", {
  default: 10,
  description: "Most instances of the HTTPS api function at once: a ceiling on cost and abuse",
});
export const callableMaxInstances = defineInt("CALLABLE_MAX_INSTANCES", {
  default: 10,
  description: "Most instances of each callable function at once: a ceiling on cost and abuse",
});

export const webhookMaxAgeMinutes = defineInt("WEBHOOK_MAX_AGE_MINUTES", {
  default: 60,
  description: "A signed webhook whose own timestamp is older than this is refused as a replay",
});

export const alertSmsTo = defineString("ALERT_SMS_TO", {
  default: "",
  description: "Operators' phone numbers (comma-separated) that get DataSell's alerts by SMS",
});
export const alertEmailTo = defineString("ALERT_EMAIL_TO", {
  default: "",
  description: "Operators' email addresses (comma-separated) that get DataSell's alerts",
});
export const alertThrottleHours = defineInt("ALERT_THROTTLE_HOURS", {
  default: 6,
  description:
    "A condition that starts again within this many hours of its last alert is not re-sent",
});
/** How often the alert conditions are checked. */
export const ALERT_SCHEDULE = process.env.ALERT_SCHEDULE ?? "every 5 minutes";
