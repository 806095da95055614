import { defineInt, defineSecret } from "firebase-functions/params";

// What is fixed when the functions deploy: secrets, schedules, timeouts, instance ceilings. The
// settings read at run time are declared, validated and read from one table in settings.ts.

/**
 * The longest a provider request may take (DATAMART_TIMEOUT_MS, MNOTIFY_TIMEOUT_MS): every job's
 * time margin counts on it, and an answer slower than this is as good as none.
 */
export const PROVIDER_TIMEOUT_MAX_MS = 10_000;
/** Every function ends at least this long before its timeout (test/settings.test.ts holds each). */
export const TIME_MARGIN_SECONDS = 30;

export const datamartApiKey = defineSecret("DATAMART_API_KEY");

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

export const mnotifyApiKey = defineSecret("MNOTIFY_API_KEY");

export const datamartWebhookSecret = defineSecret("DATAMART_WEBHOOK_SECRET");
export const apiMaxInstances = defineInt("API_MAX_INSTANCES", {
  default: 10,
  description: "Most instances of the HTTPS api function at once: a ceiling on cost and abuse",
});
export const callableMaxInstances = defineInt("CALLABLE_MAX_INSTANCES", {
  default: 10,
  description: "Most instances of each callable function at once: a ceiling on cost and abuse",
});

/** How often the alert conditions are checked. */
export const ALERT_SCHEDULE = process.env.ALERT_SCHEDULE ?? "every 5 minutes";
