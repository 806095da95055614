import {
  Timestamp,
  type DocumentReference,
  type Firestore,
  type Query,
} from "firebase-admin/firestore";
import {
  activeConditions,
  alertChange,
  rejectionHour,
  runSucceeded,
  type AlertFacts,
  type AlertState,
  type Condition,
} from "../domain/alerts";
import { logAlertChange, maskPhone } from "../logs";
import { deliver, type DeliveryDeps } from "../notifications/delivery";
import { notificationId, type NotificationRecord } from "../notifications/notificationRecord";
import { COLLECTIONS, type SyncRunRecord } from "../contract";
import { clockOf, dateNow, type Clock } from "../platform/clock";

export interface AlertDeps {
  delivery: DeliveryDeps;
  /** Operators' numbers (233…) and email addresses. */
  recipients: { sms: string[]; email: string[] };
  throttleMs: number;
  /** How long an alert's message records are kept (MESSAGE_RETENTION_DAYS). */
  messageRetentionMs: number;
  clock?: Clock;
}

export interface AlertCheckOutcome {
  active: string[];
  started: string[];
  cleared: string[];
  /** Message records written (each then sent through the delivery state machine). */
  messages: number;
}

const HOUR = 3_600_000;

/**
 * Every 5 minutes: what holds now (domain/alerts.ts), and for each condition that started or cleared,
 * its `alerts/{id}` state and, unless throttled, one message per operator on SMS and email, written
 * in the same transaction as the state (so a rerun cannot tell twice) and sent through the same
 * delivery state machine as customers' messages: the notification sweep retries them, and an
 * UNKNOWN one is never resent by itself.
 */
export async function checkAlerts(deps: AlertDeps): Promise<AlertCheckOutcome> {
  const { db } = deps.delivery;
  const now = dateNow(clockOf(deps));
  const conditions = new Map(
    activeConditions(await gatherFacts(db, now.getTime())).map((c) => [c.id, c] as const),
  );
  const known = await db.collection(COLLECTIONS.alerts).where("active", "==", true).get();
  const ids = new Set([...conditions.keys(), ...known.docs.map((doc) => doc.id)]);
  const outcome: AlertCheckOutcome = {
    active: [...conditions.keys()],
    started: [],
    cleared: [],
    messages: 0,
  };
  const toSend: DocumentReference[] = [];
  for (const id of ids) {
    const refs = await recordChange(deps, id, conditions.get(id), now);
    if (!refs) continue;
    (conditions.has(id) ? outcome.started : outcome.cleared).push(id);
    toSend.push(...refs);
  }
  outcome.messages = toSend.length;
  // Sent now; whatever does not go out is PENDING for the notification sweep.
  await Promise.all(toSend.map((ref) => deliver(deps.delivery, ref).catch(() => undefined)));
  return outcome;
}

/** One condition's change, if any, with its messages: the refs of the records written. */
async function recordChange(
  deps: AlertDeps,
  id: string,
  condition: Condition | undefined,
  now: Date,
): Promise<DocumentReference[] | undefined> {
  const { db } = deps.delivery;
  const ref = db.collection(COLLECTIONS.alerts).doc(id);
  const result = await db.runTransaction(async (tx) => {
    const previous = (await tx.get(ref)).data() as AlertState | undefined;
    const change = alertChange(previous, condition, now.getTime(), deps.throttleMs);
    if (!change) return undefined;
    tx.set(ref, { ...change.state, updatedAt: Timestamp.fromDate(now) });
    if (!change.tell) return { change, refs: [] };
    const records = messagesFor(deps, change.state, change.kind, change.message, now);
    for (const [recordRef, record] of records) tx.create(recordRef, record);
    return { change, refs: records.map(([recordRef]) => recordRef) };
  });
  if (!result) return undefined;
  logAlertChange(id, result.change.kind, result.change.tell, result.change.message);
  return result.refs;
}

/** One record per operator and channel, under an id unique to the episode, its phase and them. */
function messagesFor(
  deps: AlertDeps,
  state: AlertState,
  kind: "start" | "clear",
  message: string,
  now: Date,
): [DocumentReference, NotificationRecord][] {
  const at = Timestamp.fromDate(now);
  const targets = [
    ...deps.recipients.sms.map((to) => ({ channel: "sms" as const, to, masked: maskPhone(to) })),
    ...deps.recipients.email.map((to) => ({
      channel: "email" as const,
      to,
      masked: to.replace(/^(.).*@/, "$1***@"),
    })),
  ];
  return targets.map(({ channel, to, masked }, n) => {
    const transactionId = `alert-${state.id}-${state.startedAtMs}-${n}`;
    const status = kind === "start" ? "alert-start" : "alert-clear";
    const record: NotificationRecord = {
      transactionId,
      userId: null,
      status,
      channel,
      recipient: to,
      recipientMasked: masked,
      title: kind === "start" ? "DataSell alert" : "DataSell alert cleared",
      message,
      state: "PENDING",
      attempts: 0,
      createdAt: at,
      updatedAt: at,
      nextAttemptAt: at,
      expireAt: Timestamp.fromMillis(now.getTime() + deps.messageRetentionMs),
    };
    const recordRef = deps.delivery.db
      .collection(COLLECTIONS.orderNotifications)
      .doc(notificationId(transactionId, status, channel));
    return [recordRef, record];
  });
}

/** The few reads the conditions need: two documents, one short list and four counts. */
async function gatherFacts(db: Firestore, nowMs: number): Promise<AlertFacts> {
  const count = async (query: Query) => (await query.count().get()).data().count;
  const hourAgo = Timestamp.fromMillis(nowMs - HOUR);
  const [health, runs, badMessages, refunds, cases, signatures] = await Promise.all([
    db.collection(COLLECTIONS.supplierHealth).doc("current").get(),
    db.collection(COLLECTIONS.syncRuns).orderBy("startedAt", "desc").limit(20).get(),
    count(
      db
        .collection(COLLECTIONS.orderNotifications)
        .where("state", "in", ["FAILED", "UNKNOWN"])
        .where("updatedAt", ">=", hourAgo),
    ),
    count(
      db
        .collection(COLLECTIONS.transactions)
        .where("refund.state", "in", ["manual", "reversal-manual"])
        .where("refund.at", "<=", hourAgo),
    ),
    count(
      db
        .collection(COLLECTIONS.reconciliationCases)
        .where("state", "==", "open")
        .where("firstFoundAt", ">=", Timestamp.fromMillis(nowMs - 24 * HOUR)),
    ),
    db.getAll(
      ...[nowMs - HOUR, nowMs].map((ms) =>
        db.collection(COLLECTIONS.webhookRejections).doc(rejectionHour(ms)),
      ),
    ),
  ]);
  const level = health.get("level") as string | undefined;
  return {
    nowMs,
    ...(level ? { balance: { level, ghs: health.get("balance") as number | undefined } } : {}),
    stalledNetworks: (health.get("stalledNetworks") as string[] | undefined) ?? [],
    runs: runs.docs.map((doc) => {
      const run = doc.data() as SyncRunRecord;
      return {
        skipped: run.skipped,
        ...(run.finishedAt && !run.running
          ? { finishedAtMs: new Date(run.finishedAt).getTime() }
          : {}),
        succeeded: !run.running && runSucceeded(run),
      };
    }),
    badMessagesLastHour: badMessages,
    refundsWaitingOverAnHour: refunds,
    newOpenCases: cases,
    badSignaturesLastHour: signatures.reduce((sum, doc) => sum + Number(doc.get("count") ?? 0), 0),
  };
}
