/**
 * Fault injection for customer messages: each scenario sends messages through the real delivery
 * path (notifyStatusChange, the sweep) on the Firestore emulator against the stand-in mNotify with a
 * fault injected, moves a virtual clock through sweeps until every message has settled, and counts
 * what the stand-in received per message. `npm run faults` prints the table; the test suite asserts
 * 0 duplicates and 0 lost for every row.
 */
import "./capturedLogs";
import { Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import { db } from "../src/firestore";
import { CLAIM_LEASE_MS } from "../src/notifications/delivery";
import type { NotifyDeps } from "../src/notifications/notifyStatusChange";
import { notifyStatusChange } from "../src/notifications/notifyStatusChange";
import { smsChannel } from "../src/notifications/smsChannel";
import { runNotificationSweep } from "../src/notifications/sweep";
import { MnotifyClient } from "../src/providers/mnotify";
import { freePort, startFirestoreEmulator } from "./emulators";
import { appOrder } from "./orderFactory";
import { stopAll } from "./processes";
import { MnotifyStandIn, type AcceptedFault } from "./standins/mnotifyStandIn";
import { COLLECTIONS, type DeliveryState } from "../src/contract";
import { heldClock } from "./clocks";

export interface FaultRow {
  fault: string;
  injected: number;
  messages: number;
  /** Messages the stand-in received at least once. */
  sent: number;
  duplicates: number;
  /** Neither sent nor recorded UNKNOWN, SKIPPED or FAILED with its reason. */
  lost: number;
  unknown: number;
  skipped: number;
  failed: number;
}

const MESSAGES = 4;
const TIMEOUT_MS = 300;
const SWEEP_MS = 5 * 60_000;

interface Scenario {
  fault: string;
  /** Before the messages are created: what the stand-in or the store does wrong, and how often. */
  inject: (context: ScenarioContext) => number;
  /** Called before each sweep; an outage that ends returns the stand-in to service here. */
  tick?: (context: ScenarioContext, elapsedMs: number) => void;
  /** A crash point instead of a normal start: leaves the records as a dead sender would. */
  crash?: (context: ScenarioContext, refs: DocumentReference[]) => Promise<number>;
}

interface ScenarioContext {
  mnotify: MnotifyStandIn;
  db: Firestore;
  now: () => number;
  /** Makes each message's first write of SENT fail, as a Firestore UNAVAILABLE would. */
  failFirstSentWrites: () => void;
}

/** Every message of the scenario meets `fault` after mNotify took it. */
function acceptEachThen(mnotify: MnotifyStandIn, fault: AcceptedFault): number {
  mnotify.acceptThen(...Array.from({ length: MESSAGES }, () => fault));
  return MESSAGES;
}

const SCENARIOS: readonly Scenario[] = [
  { fault: "none", inject: () => 0 },
  {
    fault: "mNotify 503 for 30 minutes",
    inject: ({ mnotify }) => {
      mnotify.setOutage({ httpStatus: 503, body: "Service Unavailable" });
      return 1;
    },
    tick: ({ mnotify }, elapsed) => {
      if (elapsed >= 30 * 60_000) mnotify.setOutage(undefined);
    },
  },
  {
    fault: "mNotify 429 for 60 minutes",
    inject: ({ mnotify }) => {
      mnotify.setOutage({ httpStatus: 429, body: "{}", headers: { "Retry-After": "60" } });
      return 1;
    },
    tick: ({ mnotify }, elapsed) => {
      if (elapsed >= 60 * 60_000) mnotify.setOutage(undefined);
    },
  },
  {
    fault: "mNotify slow (answers within the timeout)",
    inject: ({ mnotify }) => {
      return acceptEachThen(mnotify, { kind: "late", delayMs: 150 });
    },
  },
  {
    fault: "accepted, then answered after the timeout",
    inject: ({ mnotify }) => {
      return acceptEachThen(mnotify, { kind: "late", delayMs: 600 });
    },
  },
  {
    fault: "accepted, then connection reset",
    inject: ({ mnotify }) => {
      return acceptEachThen(mnotify, { kind: "reset" });
    },
  },
  {
    fault: "accepted, then HTTP 502",
    inject: ({ mnotify }) => {
      return acceptEachThen(mnotify, { kind: "status", httpStatus: 502 });
    },
  },
  {
    fault: "Firestore write of SENT fails once",
    inject: (context) => {
      context.failFirstSentWrites();
      return MESSAGES;
    },
  },
  {
    fault: "crash after the record was created",
    inject: () => 0,
    crash: () => Promise.resolve(MESSAGES),
  },
  {
    fault: "crash after the claim, before sending",
    inject: () => 0,
    crash: async ({ now }, refs) => {
      for (const ref of refs)
        await ref.update({ state: "PROCESSING", attempts: 1, ...lease(now()) });
      return refs.length;
    },
  },
  {
    fault: "crash while sending",
    inject: () => 0,
    crash: async ({ now, mnotify }, refs) => {
      // The request went out and mNotify took it; the sender died before recording anything.
      for (const ref of refs) {
        const record = (await ref.get()).data() as { recipient: string; message: string };
        await fetch(`${mnotify.baseUrl}/sms/quick?key=${FAULTS_KEY}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            recipient: [record.recipient],
            sender: "DataSell",
            message: record.message,
          }),
        });
        await ref.update({
          state: "PROCESSING",
          attempts: 1,
          sendStartedAt: Timestamp.fromMillis(now()),
          ...lease(now()),
        });
      }
      return refs.length;
    },
  },
];

export const FAULTS_KEY = "faults-key";

const lease = (now: number) => ({ leaseExpiresAt: Timestamp.fromMillis(now + CLAIM_LEASE_MS) });

/** Runs every scenario on a clean database and stand-in; returns one row each. */
export async function runFaultScenarios(
  firestore: Firestore,
  mnotify: MnotifyStandIn,
  clear: () => Promise<void>,
): Promise<FaultRow[]> {
  const rows: FaultRow[] = [];
  for (const scenario of SCENARIOS) {
    await clear();
    mnotify.reset();
    rows.push(await runScenario(firestore, mnotify, scenario));
  }
  return rows;
}

async function runScenario(
  db: Firestore,
  mnotify: MnotifyStandIn,
  scenario: Scenario,
): Promise<FaultRow> {
  let clock = Date.parse("2026-11-29T08:00:00.000Z");
  let failSentWrites = false;
  const failedOnce = new Set<string>();
  const context: ScenarioContext = {
    mnotify,
    db,
    now: () => clock,
    failFirstSentWrites: () => (failSentWrites = true),
  };
  const deps: NotifyDeps = {
    // Record writes go through a wrapper that can fail the write of SENT once (a Firestore fault).
    db: failingSentWrites(db, (path) => {
      if (!failSentWrites || failedOnce.has(path)) return false;
      failedOnce.add(path);
      return true;
    }),
    channels: {
      sms: smsChannel(
        new MnotifyClient({
          baseUrl: mnotify.baseUrl,
          apiKey: FAULTS_KEY,
          senderId: "DataSell",
          timeoutMs: TIMEOUT_MS,
        }),
        TIMEOUT_MS,
      ),
    },
    retryWindowMs: 6 * 3_600_000,
    maxOrderAgeMs: 48 * 3_600_000,
    retention: { messagesMs: 90 * 86_400_000, runsMs: 30 * 86_400_000 },
    clock: heldClock(() => clock),
  };
  const injected = scenario.inject(context);

  const orders = Array.from({ length: MESSAGES }, (_, i) =>
    // Distinct texts, so what the stand-in received can be told apart per message.
    appOrder({ id: `fault-${i}`, placedAt: new Date(clock), networkIndex: i, gb: i + 1 }),
  );
  const refs = orders.map((o) =>
    db.collection(COLLECTIONS.orderNotifications).doc(`${o.id}_delivered`),
  );
  let crashed = 0;
  if (scenario.crash) {
    // The trigger's transaction ran (records created, due now), then the sender died.
    for (const order of orders) await storeRecordOnly(db, order.id, order.data, clock);
    crashed = await scenario.crash(context, refs);
  } else {
    for (const order of orders)
      await notifyStatusChange(deps, {
        transactionId: order.id,
        before: { ...order.data, status: "processing" },
        after: { ...order.data, status: "delivered" },
      }).catch(() => undefined); // a trigger invocation that fails is logged; the sweep finishes its work
  }

  const started = clock;
  for (let sweep = 0; sweep < 100; sweep++) {
    clock += SWEEP_MS;
    scenario.tick?.(context, clock - started);
    await runNotificationSweep(deps, { timeBudgetMs: 60_000, concurrency: 2 });
    const open = await db
      .collection(COLLECTIONS.orderNotifications)
      .where("state", "in", ["PENDING", "PROCESSING"])
      .count()
      .get();
    if (open.data().count === 0) break;
  }
  return tally(scenario.fault, injected + crashed, mnotify, refs);
}

async function tally(
  fault: string,
  injected: number,
  mnotify: MnotifyStandIn,
  refs: DocumentReference[],
): Promise<FaultRow> {
  const row: FaultRow = {
    fault,
    injected,
    messages: refs.length,
    sent: 0,
    duplicates: 0,
    lost: 0,
    unknown: 0,
    skipped: 0,
    failed: 0,
  };
  for (const ref of refs) {
    const record = (await ref.get()).data() as
      { state: DeliveryState; message: string; recipient: string; reason?: string } | undefined;
    const received = record
      ? mnotify.messages.filter(
          (m) => m.message === record.message && m.recipient === record.recipient,
        ).length
      : 0;
    if (received > 0) row.sent += 1;
    if (received > 1) row.duplicates += 1;
    const state = record?.state;
    if (state === "UNKNOWN") row.unknown += 1;
    if (state === "SKIPPED") row.skipped += 1;
    if (state === "FAILED") row.failed += 1;
    const accounted =
      (state === "SENT" && received > 0) ||
      ((state === "UNKNOWN" || state === "SKIPPED" || state === "FAILED") && !!record?.reason);
    if (!accounted) row.lost += 1;
  }
  return row;
}

/** What the trigger's transaction leaves: a PENDING record, due now, and nothing sent. */
async function storeRecordOnly(
  db: Firestore,
  id: string,
  order: Record<string, unknown>,
  now: number,
): Promise<void> {
  const at = Timestamp.fromMillis(now);
  await db
    .collection(COLLECTIONS.orderNotifications)
    .doc(`${id}_delivered`)
    .create({
      transactionId: id,
      userId: order.userId,
      status: "delivered",
      channel: "sms",
      recipient: `233${String(order.phoneNumber).slice(1)}`,
      recipientMasked: "masked",
      message: `Your data for ${id} has been delivered.`,
      state: "PENDING",
      attempts: 0,
      createdAt: at,
      updatedAt: at,
      nextAttemptAt: at,
    });
}

/**
 * The same Firestore, but a write that records SENT fails (once per `shouldFail()`), as a Firestore
 * UNAVAILABLE would: `collection().doc().update()` is wrapped, nothing else.
 */
function failingSentWrites(db: Firestore, shouldFail: (path: string) => boolean): Firestore {
  const wrapRef = (ref: DocumentReference): DocumentReference =>
    new Proxy(ref, {
      get(target, key, receiver) {
        if (key === "update")
          return (data: Record<string, unknown>, ...rest: unknown[]) => {
            if (data.state === "SENT" && shouldFail(target.path))
              return Promise.reject(
                Object.assign(new Error("14 UNAVAILABLE: injected"), { code: 14 }),
              );
            return (target.update as (...args: unknown[]) => Promise<unknown>)(data, ...rest);
          };
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key === "collection")
        return (path: string) => {
          const collection = target.collection(path);
          return new Proxy(collection, {
            get(c, k, r) {
              if (k === "doc") return (id?: string) => wrapRef(id ? c.doc(id) : c.doc());
              return Reflect.get(c, k, r) as unknown;
            },
          });
        };
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

export function faultTable(rows: FaultRow[]): string {
  const header =
    "| fault | injected | messages | sent | duplicates | lost | unknown | skipped | failed |\n|---|---|---|---|---|---|---|---|---|";
  return [
    header,
    ...rows.map(
      (r) =>
        `| ${r.fault} | ${r.injected} | ${r.messages} | ${r.sent} | ${r.duplicates} | ${r.lost} | ${r.unknown} | ${r.skipped} | ${r.failed} |`,
    ),
  ].join("\n");
}

/** `npm run faults`: every scenario on a Firestore emulator of its own; prints the table. */
async function main(): Promise<void> {
  const projectId = "demo-datasell-faults";
  const emulator = await startFirestoreEmulator({ projectId, port: await freePort() });
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  process.env.GCLOUD_PROJECT = projectId;
  const mnotify = await MnotifyStandIn.start({ apiKey: FAULTS_KEY });
  try {
    const clear = async () => {
      await fetch(
        `http://${emulator.host}/emulator/v1/projects/${projectId}/databases/(default)/documents`,
        { method: "DELETE" },
      );
    };
    const rows = await runFaultScenarios(db(), mnotify, clear);
    console.log(faultTable(rows));
    const bad = rows.filter((r) => r.duplicates > 0 || r.lost > 0);
    console.log(
      bad.length === 0
        ? "\n0 duplicates and 0 lost in every scenario."
        : `\n${bad.length} scenario(s) with duplicates or lost messages.`,
    );
    if (bad.length > 0) process.exitCode = 1;
  } finally {
    await mnotify.close();
    await stopAll();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
