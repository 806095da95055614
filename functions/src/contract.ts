import type { AlertPhase } from "./domain/alerts";
import type { BalanceLevel, OpenOrders } from "./domain/supplierHealth";
import type { StatsSummary } from "./domain/dailyStats";
import type { DeliveryExpectation } from "./domain/deliveryExpectation";
import type { DataSellStatus } from "./domain/orderStatus";
import type { ReconciliationTotals } from "./domain/reconciliation";

/*
 * The contract between these functions and their clients (the admin console, and the DataSell app's
 * calls): collection names and what each callable answers. Types and names only, no code that runs
 * on one side alone, so the console's bundle imports it as it is.
 */

/** Collection names, in one place. Everything but `transactions` is written by this system only. */
export const COLLECTIONS = {
  transactions: "transactions",
  statusHistory: "statusHistory", // subcollection of transactions/{id}
  syncRuns: "syncRuns",
  leases: "leases",
  syncState: "syncState",
  syncRequests: "syncRequests", // admins' "sync now" handed to the running run: sync/syncRequests.ts
  syncAdoptions: "syncAdoptions", // orders the next sync run must look at: see sync/adoptions.ts
  orderNotifications: "orderNotifications",
  notificationAudit: "audit", // subcollection of orderNotifications/{id}: admins' resends
  notificationSweeps: "notificationSweeps",
  users: "users",
  inAppNotifications: "notifications", // subcollection of users/{uid}: what the app shows
  walletLedger: "walletLedger", // subcollection of users/{uid}
  pushTokens: "pushTokens", // subcollection of users/{uid}: one per device
  rateLimits: "rateLimits",
  webhookEvents: "datamartWebhookEvents",
  reconciliationReports: "reconciliationReports",
  reconciliationCases: "reconciliationCases", // one per mismatch, stable across runs
  reconciliationCharges: "reconciliationCharges", // `{orderId}`: Datamart's ledger has a movement for it
  supplierHealth: "supplierHealth", // `current`: Datamart balance and delivery times
  supplierBalances: "supplierBalances", // `{day}`: the day's readings of Datamart's balance
  dailyStats: "dailyStats", // `{day}_{network}`: the day's figures, kept as they happen
  alerts: "alerts", // `{conditionId}`: operators' alerts, started, cleared and acknowledged
  webhookRejections: "webhookRejections", // `{YYYY-MM-DDTHH}`: bad webhook signatures that hour
} as const;

export type DeliveryState = "PENDING" | "PROCESSING" | "SENT" | "FAILED" | "SKIPPED" | "UNKNOWN";

/** What `syncRuns/{runId}` holds: the summary, marked running from the run's start until it closes it. */
export type SyncRunRecord = SyncSummary & { running?: boolean };

export type SyncTrigger = "schedule" | "admin";

/** What one sync run did: written to `syncRuns/{runId}`, logged, and answered to an admin. */
export interface SyncSummary {
  runId: string;
  trigger: SyncTrigger;
  /** True when another run held the lease; nothing else was done. */
  skipped: boolean;
  message: string;
  startedAt: string;
  finishedAt: string;
  /** Orders read to be checked (an order is checked once a pass). */
  due: number;
  /** Passes over young orders: a scheduled run repeats them while its time budget lasts. */
  passes: number;
  /** Orders checked because the status trigger adopted them (see sync/adoptions.ts). */
  adopted: number;
  /** Orders past their young hour checked on their schedule (domain/pollSchedule.ts, agingDue). */
  aging: number;
  /** Orders the sweep of all open orders visited. */
  swept: number;
  /** Orders Datamart was asked about. */
  checked: number;
  datamartRequests: number;
  updated: number;
  unchanged: number;
  unknownStatuses: number;
  /** Orders found final already (changed by someone else since they were read). */
  alreadyFinal: number;
  noReference: number;
  /** Failed orders under watch that Datamart was asked about again. */
  watched: number;
  errors: number;
  errorsByKind: Record<string, number>;
  stoppedEarly?: "time-budget" | "provider-down";
  /** True when the run stopped early with orders it did not reach; the next run resumes there. */
  leftForNextRun: boolean;
  newlyNeedsAttention: number;
  /** Open orders flagged needsAttention, in all. */
  needsAttention: number;
  /** Admins' sync requests this run took while it was alive (sync/syncRequests.ts). */
  adminRequests: number;
}

/** `syncRequests/{id}`: an admin's "sync now" (sync/syncRequests.ts); `Time` is Firestore's Timestamp. */
export interface SyncRequestRecord<Time = unknown> {
  uid: string;
  state: "waiting" | "taken" | "done";
  requestedAt: Time;
  /** The run that took it, and when; what the pass it made for it checked and changed. */
  runId?: string;
  takenAt?: Time;
  doneAt?: Time;
  checked?: number;
  updated?: number;
  /** A run that had taken it crashed: it waited again for the next run (this id is the crashed one). */
  requeuedFrom?: string;
}

/**
 * An admin's "sync now": answered in seconds with the run that took it (`syncRuns/{runId}` holds its
 * summary when it ends; `syncRequests/{requestId}` what its pass checked), or queued for the next run.
 */
export type AdminSyncAnswer =
  | {
      success: true;
      /** A run took the request: a scheduled run alive, or one its trigger started. */
      outcome: "taken";
      message: string;
      runId: string;
      requestId: string;
    }
  | {
      success: true;
      /** No run took it in time (one holds the lease and is busy): the next run takes it. */
      outcome: "queued";
      message: string;
      requestId: string;
    };

export interface OrderStatusAnswer {
  success: true;
  transaction: {
    id: string;
    status: string;
    reference: string | null;
    network: string | null;
    packageName: string | null;
    amount: number | string | null;
    timestamp: string | null;
    phoneNumber: string | null;
    datamartTransactionId: string | null;
    /**
     * For an open order: how long its network's deliveries take (p50 / p95 of the last 7 days) and
     * Datamart's tracker's word; null for a final order, or when the figures are missing or stale.
     */
    expectedDelivery: DeliveryExpectation | null;
  };
}

export interface AdminRefundAnswer {
  success: true;
  /** `already-refunded`: this project credited the order before; nothing moved now. */
  outcome: "credited" | "already-refunded";
  transactionId: string;
  amount: number;
  ledgerEntryId: string;
}

export interface ResendAnswer {
  success: true;
  notificationId: string;
  previousState: DeliveryState;
  /** What this send attempt ended in. */
  state: DeliveryState;
}

export const CASE_STATES = ["open", "explained", "resolved"] as const;

export interface CaseUpdateAnswer {
  success: true;
  caseId: string;
  previousState: string;
  state: CaseState;
}

/** One reconciliation: `reconciliationReports/{id}`, carried across runs until it is complete. */
export interface ReconciliationReport {
  reportId: string;
  trigger: "schedule" | "admin";
  skipped: boolean;
  complete: boolean;
  /** Stopped before the window was done; the next run resumes the same report. */
  stoppedEarly?: "time-budget" | "provider-down" | "provider-error";
  windowStart: string;
  windowEnd: string;
  runs: number;
  pages: number;
  movements: number;
  matchedOrders: number;
  mismatches: number;
  mismatchesByKind: Record<string, number>;
  newCases: number;
  /** Open cases of earlier reports this one found settled, and resolved (an order then in flight). */
  clearedCases?: number;
  totals: ReconciliationTotals;
  /** DataSell's Datamart wallet, GHS, when the report began and when it completed. */
  balanceStart?: number;
  balanceEnd?: number;
  error?: string;
}

export type CaseState = (typeof CASE_STATES)[number];

/**
 * Each callable's request and answer, by name: the functions are typed against it
 * (triggers/callable.ts) and the console calls through it, so neither can read a field the other
 * does not send.
 */
export interface Callables {
  getOrderStatus: {
    request: { transactionId: string; refresh?: boolean };
    answer: OrderStatusAnswer;
  };
  adminSyncDatamartOrders: { request: Record<string, never>; answer: AdminSyncAnswer };
  adminRefundOrder: {
    request: { transactionId: string; override?: { reason: string } };
    answer: AdminRefundAnswer;
  };
  adminResendNotification: { request: { notificationId: string }; answer: ResendAnswer };
  adminReconcileDatamart: { request: Record<string, never>; answer: ReconciliationReport };
  adminUpdateReconciliationCase: {
    request: { caseId: string; state: CaseState; note: string };
    answer: CaseUpdateAnswer;
  };
  adminCheckSupplierHealth: {
    request: Record<string, never>;
    answer: { level: string; balance?: number };
  };
  adminAcknowledgeAlert: {
    request: { alertId: string };
    answer: { success: true; alertId: string };
  };
  registerPushToken: {
    request: { token: string; platform?: string };
    answer: { success: true; tokenId: string };
  };
  unregisterPushToken: { request: { token: string }; answer: { success: true } };
}

/*
 * Stored documents that the console reads too, typed once: `Time` is the Firestore SDK's Timestamp
 * on each side (firebase-admin's in the functions, the web SDK's in the console).
 */

export const CHANNELS = ["sms", "push", "email"] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** What the provider later said about a SENT message (delivery report), where it can say it. */
export type DeliveryReport = "delivered" | "undelivered" | "pending";

/**
 * `orderNotifications/{transactionId}_{status}` (SMS) or `..._{status}_{channel}` (push, email): one per
 * order, status and channel, server-only.
 */
export interface NotificationRecord<Time> {
  /** The order's id; for an operators' alert, `alert-{condition}-{startedAtMs}-{n}`. */
  transactionId: string;
  userId: string | null;
  status: DataSellStatus | AlertPhase;
  channel: ChannelName;
  /**
   * Who gets it: `233…` for SMS, the user id for push (their devices are looked up when sending), the
   * address for email. Kept server-side for retries; logs and admins see `recipientMasked`.
   */
  recipient: string | null;
  /** The title of a push or the subject of an email. */
  title?: string;
  recipientMasked: string;
  message: string;
  state: DeliveryState;
  reason?: string;
  attempts: number;
  providerIds?: { campaignId: string; messageId?: string };
  lastError?: { kind: string; code?: string; status?: number; message: string };
  createdAt: Time;
  updatedAt: Time;
  /** When Firestore's TTL deletes the record (MESSAGE_RETENTION_DAYS after it was made). */
  expireAt?: Time;
  /** Set whenever the record is PENDING, so the sweep's query finds it. */
  nextAttemptAt?: Time;
  leaseExpiresAt?: Time;
  /** Written just before the request goes out: a claim without it provably sent nothing. */
  sendStartedAt?: Time;
  sentAt?: Time;
  report?: { state: DeliveryReport; checkedAt: Time };
  /** When the sweep next asks the provider for a delivery report of a SENT message. */
  reportCheckAt?: Time;
}

/** `supplierHealth/current`: what the console shows and the logs carry. */
export interface SupplierHealthRecord<Time> {
  checkedAt: Time;
  /** DataSell's Datamart wallet, GHS; absent when Datamart did not answer. */
  balance?: number;
  level: BalanceLevel | "unknown";
  balanceError?: string;
  /** Days the balance lasts at the last 7 days' spend; null when that cannot be told yet. */
  daysOfCover: number | null;
  thresholds: { lowGhs: number; criticalGhs: number };
  /** Per network, from the day's figures (stats/dailyStats.ts): today and the last 7 days. */
  delivery: { today: Record<string, StatsSummary>; last7d: Record<string, StatsSummary> };
  /** Per network, the orders open now (placed in the last 7 days). */
  open: Record<string, OpenOrders>;
  stalledNetworks: string[];
  /** Datamart's delivery tracker's message (what customers with open orders are told); null: none. */
  trackerMessage: string | null;
  trackerError?: string;
}

/** Who or what carried a status change to an order. */
export type StatusSource = "poll" | "admin" | "user" | "webhook";

/** A status history entry: `transactions/{id}/statusHistory/{auto}`, server-only. */
export interface StatusHistoryEntry<Time> {
  from: string;
  to: DataSellStatus;
  datamartStatus: string;
  source: StatusSource;
  at: Time;
  /** Why a final status changed (the one allowed move: failed, then delivered after all). */
  reason?: string;
}

/** `webhookEvents/{sha256 of the body}`: one per signed body received, kept for the retention period. */
export interface WebhookEventRecord<Time> {
  /** What became of it: `unmatched`, `changed`, `unchanged`, `stale`, ... */
  outcome: string;
  signatureValid: true;
  bodyBytes: number;
  receivedAt: Time;
  expireAt: Time;
  /** Once the body parsed as an event: */
  event?: string;
  eventTimestamp?: string | null;
  orderId?: string | null;
  orderReference?: string | null;
  transactionReference?: string | null;
  status?: string;
  /** The order it was applied to, when one matched. */
  transactionId?: string;
}
