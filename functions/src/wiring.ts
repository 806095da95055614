import {
  datamartApiKey,
  datamartBaseUrl,
  datamartTimeoutMs,
  syncAttentionAfterHours,
  syncBackoffMinutes,
  syncConcurrency,
  syncMaxConsecutiveFailures,
  syncRatePerMinute,
  syncTimeBudgetSeconds,
  SYNC_TIMEOUT_SECONDS,
  mnotifyApiKey,
  mnotifyBaseUrl,
  mnotifySenderId,
  mnotifyTimeoutMs,
  smsMaxAttempts,
  walletRefunds,
} from "./config";
import { parseBackoffMinutes } from "./domain/pollSchedule";
import { db } from "./firestore";
import type { SmsDeliveryDeps } from "./notifications/smsDelivery";
import { DatamartClient } from "./providers/datamart";
import { MnotifyClient } from "./providers/mnotify";
import { runSync, type SyncOptions, type SyncSummary, type SyncTrigger } from "./sync/syncEngine";

// The composition root: params are read here, at run time, and handed to plain domain code.

export function datamartClient(): DatamartClient {
  return new DatamartClient({
    baseUrl: datamartBaseUrl.value(),
    apiKey: datamartApiKey.value(),
    timeoutMs: datamartTimeoutMs.value(),
  });
}

export function syncOptions(): SyncOptions {
  return {
    concurrency: syncConcurrency.value(),
    ratePerMinute: syncRatePerMinute.value(),
    // Leave the function time to write its summary and release the lease.
    timeBudgetMs: Math.min(syncTimeBudgetSeconds.value(), SYNC_TIMEOUT_SECONDS - 30) * 1000,
    maxConsecutiveFailures: syncMaxConsecutiveFailures.value(),
    backoffMinutes: parseBackoffMinutes(syncBackoffMinutes.value()),
    attentionAfterMs: syncAttentionAfterHours.value() * 3_600_000,
  };
}

export function runConfiguredSync(trigger: SyncTrigger): Promise<SyncSummary> {
  return runSync(
    {
      db: db(),
      datamart: datamartClient(),
      options: syncOptions(),
      walletRefunds: walletRefunds.value(),
    },
    trigger,
  );
}

export function smsDeliveryDeps(): SmsDeliveryDeps {
  return {
    db: db(),
    sms: new MnotifyClient({
      baseUrl: mnotifyBaseUrl.value(),
      apiKey: mnotifyApiKey.value(),
      senderId: mnotifySenderId.value(),
      timeoutMs: mnotifyTimeoutMs.value(),
    }),
    maxAttempts: smsMaxAttempts.value(),
  };
}
