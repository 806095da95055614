import type { Firestore, QueryDocumentSnapshot } from "firebase-admin/firestore";
import { networkKey, type DailyStats } from "../../src/domain/dailyStats";
import { FINAL_STATUSES, isFinalStatus, mapDatamartStatus } from "../../src/domain/orderStatus";
import { SMS_MAX_CHARS } from "../../src/domain/statusMessages";
import { toPesewas } from "../../src/domain/walletRefund";
import type { ReceivedPush } from "../standins/fcmStandIn";
import type { ReceivedSms } from "../standins/mnotifyStandIn";
import type { SoakCustomer, SoakOrder } from "./workload";
import { COLLECTIONS } from "../../src/contract";

/*
 * What must hold once the soak's system is quiet, checked on the final state and on what the
 * stand-ins received (the only honest witnesses of what reached a provider). Each violation is one
 * line naming the invariant and the order, message or wallet.
 */

export interface SoakWitnesses {
  db: Firestore;
  orders: SoakOrder[];
  customers: SoakCustomer[];
  /** Datamart's last word per order id (the stand-in's status). */
  datamartStatus: Map<string, string>;
  /** What the app itself debited from each wallet, pesewas, by customer uid. */
  appDebits: Map<string, number>;
  sms: ReceivedSms[];
  pushes: ReceivedPush[];
  /** Reconciliation cases found by the run over the soak's window: kind and order id. */
  cases: { kind: string; orderId?: string }[];
  /** Mismatches the workload planted, as `kind:orderId`. */
  plantedCases: Set<string>;
}

export async function checkInvariants(w: SoakWitnesses): Promise<string[]> {
  const violations: string[] = [];
  const fail = (invariant: string, text: string) => violations.push(`[${invariant}] ${text}`);
  const all = async (name: string) => (await w.db.collection(name).get()).docs;
  const orderDocs = new Map(
    (await all(COLLECTIONS.transactions)).map((doc) => [doc.id, doc] as const),
  );
  const records = await all(COLLECTIONS.orderNotifications);
  const audits = new Map<string, number>();
  for (const record of records) {
    const n = (await record.ref.collection(COLLECTIONS.notificationAudit).get()).size;
    if (n > 0) audits.set(record.id, n);
  }

  // 1. Every order's status is Datamart's final word, or it is open and flagged with a reason.
  for (const order of w.orders) {
    const doc = orderDocs.get(order.id);
    if (!doc) {
      fail("1 status", `${order.id} is missing`);
      continue;
    }
    const status = String(doc.get("status"));
    if (order.fate === "refused") {
      if (status !== "failed") fail("1 status", `${order.id} (refused) is ${status}`);
      continue;
    }
    const word = w.datamartStatus.get(order.id);
    const expected = word ? mapDatamartStatus(word) : undefined;
    const flagged =
      doc.get("sync.needsAttention") === true && !!doc.get("sync.needsAttentionReason");
    // Delivered after Datamart called it failed, and the webhook saying so lost: the watch asks
    // hourly until `sync.watchUntil`, beyond the compressed run's reach, so it is still due.
    const watchUntil = doc.get("sync.watchUntil") as { toMillis(): number } | undefined;
    if (
      status === "failed" &&
      expected === "delivered" &&
      (watchUntil?.toMillis() ?? 0) > Date.now()
    )
      continue;
    if (
      expected && isFinalStatus(expected) ? status !== expected : !flagged && isFinalStatus(status)
    )
      fail("1 status", `${order.id} is ${status}; Datamart says ${word}`);
    else if (!isFinalStatus(status) && !flagged && expected && isFinalStatus(expected))
      fail("1 status", `${order.id} is open and not flagged`);
  }

  // 2. Messages: every record final with its reason or evidence; at most one send per record reached
  // a provider (plus an audited resend); no status change without its records; each SMS one SMS.
  const byCampaign = new Map<string, QueryDocumentSnapshot>();
  for (const record of records) {
    const state = String(record.get("state"));
    if (state === "PENDING" || state === "PROCESSING")
      fail("2 messages", `${record.id} is still ${state}`);
    if ((state === "SKIPPED" || state === "FAILED") && !record.get("reason"))
      fail("2 messages", `${record.id} is ${state} without a reason`);
    if (state === "UNKNOWN" && !record.get("lastError"))
      fail("2 messages", `${record.id} is UNKNOWN without evidence`);
    const campaign = record.get("providerIds.campaignId") as string | undefined;
    if (campaign) byCampaign.set(campaign, record);
  }
  const smsRecords = records.filter((r) => r.get("channel") === "sms");
  const received = new Map<string, number>();
  for (const sms of w.sms) {
    if (sms.message.length > SMS_MAX_CHARS)
      fail("2 messages", `an SMS to ${sms.recipient} is over one SMS: "${sms.message}"`);
    const record =
      byCampaign.get(sms.campaignId) ??
      // An accepted send whose answer never came back: recorded UNKNOWN, with no campaign id.
      smsRecords.find(
        (r) =>
          r.get("recipient") === sms.recipient &&
          r.get("message") === sms.message &&
          (r.get("state") === "UNKNOWN" || audits.has(r.id)),
      );
    if (!record) {
      // The same text to the same number as a record that knows another send: a second send.
      const twin = smsRecords.find(
        (r) => r.get("recipient") === sms.recipient && r.get("message") === sms.message,
      );
      fail(
        "2 messages",
        twin
          ? `${twin.id} reached the provider again, as a send its record does not know`
          : `an SMS to ${sms.recipient} matches no record: "${sms.message}"`,
      );
      continue;
    }
    received.set(record.id, (received.get(record.id) ?? 0) + 1);
  }
  const pushKey = (orderId: string, status: string) => `${orderId}_${status}_push`;
  for (const push of w.pushes) {
    const id = pushKey(String(push.data?.orderId), String(push.data?.status));
    received.set(`${id}|${push.token}`, (received.get(`${id}|${push.token}`) ?? 0) + 1);
  }
  for (const [key, count] of received) {
    const id = key.split("|")[0];
    if (count > 1 + (audits.get(id) ?? 0))
      fail("2 messages", `${key} reached the provider ${count} times`);
  }
  const recordIds = new Set(records.map((r) => r.id));
  /** `network:status` -> orders that were ever that final status. */
  const everFinal = new Map<string, number>();
  for (const order of w.orders) {
    const history = await w.db
      .collection(COLLECTIONS.transactions)
      .doc(order.id)
      .collection(COLLECTIONS.statusHistory)
      .get();
    const told = history.docs.map((h) => String(h.get("to")));
    if (order.fate === "refused") told.push("failed");
    // An admin's credit is told as `refunded`, once, on the customer's channels.
    const refund = orderDocs.get(order.id)?.get("refund") as
      { state?: string; adminUid?: string } | undefined;
    if (refund?.state === "credited" && refund.adminUid && !told.includes("refunded"))
      told.push("refunded");
    const network = networkKey(orderDocs.get(order.id)?.get("network"));
    for (const status of new Set(history.docs.map((h) => String(h.get("to"))).concat(told)))
      if (isFinalStatus(status)) tally(everFinal, `${network}:${status}`, 1);
    for (const status of told)
      for (const suffix of ["", "_push", "_email"])
        if (!recordIds.has(`${order.id}_${status}${suffix}`))
          fail("2 messages", `${order.id} became ${status} with no ${suffix || "_sms"} record`);
  }

  /** Ledger entries by type, and their pesewas as `{type}Pesewas`. */
  const moves = new Map<string, number>();
  // 3. Money: balance = start - the app's debits + the ledger; one refund and one reversal per order
  // at most; credits only for wallet orders Datamart accepted and then failed, or an admin override.
  for (const customer of w.customers) {
    const user = w.db.collection(COLLECTIONS.users).doc(customer.uid);
    const [snapshot, ledger] = await Promise.all([
      user.get(),
      user.collection(COLLECTIONS.walletLedger).get(),
    ]);
    const moved = ledger.docs.reduce((sum, e) => sum + Number(e.get("amountPesewas")), 0);
    const expected =
      (toPesewas(customer.walletBalance) ?? 0) - (w.appDebits.get(customer.uid) ?? 0) + moved;
    const balance = toPesewas(snapshot.get("walletBalance"));
    if (balance !== expected)
      fail(
        "3 money",
        `${customer.uid}'s wallet is ${balance} pesewas; start, debits and ledger say ${expected}`,
      );
    const perOrder = new Map<string, number>();
    for (const entry of ledger.docs) {
      tally(moves, String(entry.get("type")), 1);
      tally(
        moves,
        `${String(entry.get("type"))}Pesewas`,
        Math.abs(Number(entry.get("amountPesewas"))),
      );
      const key = `${String(entry.get("type"))}:${String(entry.get("orderId"))}`;
      perOrder.set(key, (perOrder.get(key) ?? 0) + 1);
      if (entry.get("type") !== "refund" || entry.get("overrideReason")) continue;
      const order = w.orders.find((o) => o.id === entry.get("orderId"));
      if (
        !order ||
        order.paymentMethod !== "wallet" ||
        order.fate === "refused" ||
        order.fate === "delivered"
      )
        fail(
          "3 money",
          `${entry.id} credits an order that was not a failed wallet order Datamart accepted`,
        );
    }
    for (const [key, n] of perOrder) if (n > 1) fail("3 money", `${key} moved money ${n} times`);
  }

  // 4. Reconciliation names exactly the planted mismatches.
  const found = new Set(w.cases.map((c) => `${c.kind}:${c.orderId ?? "-"}`));
  for (const planted of w.plantedCases)
    if (!found.has(planted))
      fail("4 reconciliation", `missed ${planted} (named: ${[...found].join(", ") || "none"})`);
  for (const named of found)
    if (!w.plantedCases.has(named)) fail("4 reconciliation", `named ${named}, not planted`);

  // 5. No orphans: every run closed, no live lease, no adoption or sync request left behind.
  for (const run of await all(COLLECTIONS.syncRuns))
    if (run.get("running") === true || !run.get("finishedAt"))
      fail("5 orphans", `sync run ${run.id} never closed its summary`);
  const now = Date.now();
  for (const lease of await all(COLLECTIONS.leases))
    if (((lease.get("expiresAt") as { toMillis(): number } | undefined)?.toMillis() ?? 0) > now)
      fail("5 orphans", `lease ${lease.id} is still held by ${String(lease.get("holder"))}`);
  for (const adoption of await all(COLLECTIONS.syncAdoptions))
    fail("5 orphans", `adoption ${adoption.id} left behind`);
  for (const request of await all(COLLECTIONS.syncRequests))
    if (request.get("state") === "waiting") fail("5 orphans", `sync request ${request.id} waiting`);

  // 6. The day's figures agree with the orders and the ledger: each order counted once in the status
  // it is now (its change was told), never more than the orders that were ever in it (a change
  // overtaken before it was told is not counted); each money movement counted once.
  const figures = (await all(COLLECTIONS.dailyStats)).map((d) => d.data() as DailyStats);
  const counted = new Map<string, number>();
  for (const day of figures) {
    for (const [status, n] of Object.entries(day.finals ?? {}))
      tally(counted, `${day.network}:${status}`, n);
    tally(counted, "refund", day.refunds ?? 0);
    tally(counted, "refundPesewas", day.refundedPesewas ?? 0);
    tally(counted, "reversal", day.reversals ?? 0);
    tally(counted, "reversalPesewas", day.reversedPesewas ?? 0);
  }
  const current = new Map<string, number>();
  for (const order of w.orders) {
    const doc = orderDocs.get(order.id);
    const status = String(doc?.get("status"));
    if (isFinalStatus(status)) tally(current, `${networkKey(doc?.get("network"))}:${status}`, 1);
  }
  for (const key of new Set([...counted.keys(), ...current.keys(), ...everFinal.keys()])) {
    if (!FINAL_STATUSES.some((status) => key.endsWith(`:${status}`))) continue;
    const [n, low, high] = [counted.get(key) ?? 0, current.get(key) ?? 0, everFinal.get(key) ?? 0];
    if (n < low || n > high)
      fail("6 figures", `${key} counted ${n}; ${low} orders are so now, ${high} ever were`);
  }
  for (const key of ["refund", "refundPesewas", "reversal", "reversalPesewas"])
    if ((counted.get(key) ?? 0) !== (moves.get(key) ?? 0))
      fail(
        "6 figures",
        `${key}: figures say ${counted.get(key) ?? 0}, the ledger ${moves.get(key) ?? 0}`,
      );

  // 7. Alerts: the forged webhooks' alert started; each start that was told has one record per
  // operator and channel, and so has its clearing; a throttled start has none, nor has its clearing.
  const alerts = await all(COLLECTIONS.alerts);
  if (!alerts.some((a) => a.id === "webhook-signatures")) {
    const counted = (await all(COLLECTIONS.webhookRejections)).map(
      (d) => `${d.id}: ${d.get("count")}`,
    );
    fail(
      "7 alerts",
      `the forged webhooks raised no alert (rejections counted ${counted.join(", ") || "none"}; alerts ${alerts.map((a) => a.id).join(", ") || "none"})`,
    );
  }
  for (const alert of alerts) {
    const episode = `alert-${alert.id}-${String(alert.get("startedAtMs"))}-`;
    const told = (phase: string) =>
      records.filter((r) => r.id.startsWith(episode) && r.get("status") === phase).length;
    const expected = alert.get("toldStart") === true ? OPERATOR_RECORDS : 0;
    if (told("alert-start") !== expected)
      fail("7 alerts", `${alert.id} started: ${told("alert-start")} records, not ${expected}`);
    if (alert.get("active") === false && told("alert-clear") !== expected)
      fail("7 alerts", `${alert.id} cleared: ${told("alert-clear")} records, not ${expected}`);
  }
  return violations;
}

/** The soak's operators: one phone and one email address. */
const OPERATOR_RECORDS = 2;

const tally = (counts: Map<string, number>, key: string, n: number) =>
  counts.set(key, (counts.get(key) ?? 0) + n);
