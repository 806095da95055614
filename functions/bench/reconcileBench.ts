/**
 * `npm run bench:reconcile`: the nightly reconciliation at 5,000 and 20,000 orders a day, on the real
 * Firestore emulator and the stand-in Datamart's ledger. The report is read in runs of
 * BENCH_RECONCILE_RUN_SECONDS (30) each, as the nightly schedule's 5-minute runs read it, and between
 * runs five minutes of new orders arrive at the head of the ledger, as at 03:00. Prints, per size:
 * the runs it took here and the runs it takes in production (Datamart's 10 requests a minute give a
 * 240 s run 40 requests; the emulator, not Datamart, bounds the runs here), its pages and requests,
 * whether it read each movement of its window once and named exactly the planted mismatches, the
 * largest document it kept, the heap it grew by, and Firestore's reads and writes; merges them into
 * bench/results/latest.json.
 *
 * BENCH_RECONCILE_SIZES (5000,20000): orders a day.
 */
import "../dev/capturedLogs";
import "./firestoreCounter";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Firestore } from "firebase-admin/firestore";
import { freePort, startFirestoreEmulator } from "../dev/emulators";
import { appOrder } from "../dev/orderFactory";
import { stopAll } from "../dev/processes";
import { DatamartStandIn, type LedgerMovement } from "../dev/standins/datamartStandIn";
import { db } from "../src/firestore";
import { DatamartClient } from "../src/providers/datamart";
import { runReconciliation, type ReconcileDeps } from "../src/reconciliation/reconcile";
import { markCharged } from "../src/reconciliation/chargeMarks";
import { COLLECTIONS, type ReconciliationReport } from "../src/contract";
import { firestoreCounts, resetFirestoreCounts } from "./firestoreCounter";
import { fmt } from "./format";

const SIZES = (process.env.BENCH_RECONCILE_SIZES ?? "5000,20000").split(",").map(Number);
const RUN_SECONDS = Number(process.env.BENCH_RECONCILE_RUN_SECONDS ?? 30);
/** What one 240 s production run may ask Datamart at RECONCILE_RATE_PER_MINUTE (10). */
const PRODUCTION_REQUESTS_PER_RUN = 40;
const HOUR = 3_600_000;
/** Planted in each day: what the report must name, and nothing else. */
const PLANTED = { "delivered-without-charge": 3, "charged-but-failed": 3, "amount-differs": 3 };

interface Day {
  /** Movements of the report's window: what it must read, each once. */
  inWindow: number;
  orders: number;
}

/**
 * A day of orders placed over the 27 hours before now: 88 % delivered within minutes, 10 % failed and
 * refunded (1 in 10 of those hours later), 1 % delivered a day after its charge (charged before the
 * window: yesterday's report marked it, as it marked every order it read a charge for); plus the planted mismatches.
 */
async function seedDay(
  firestore: Firestore,
  standIn: DatamartStandIn,
  perDay: number,
  now: number,
) {
  const windowStart = now - 26 * HOUR; // yesterday's report ended 24 h ago; 2 h of overlap
  const count = Math.round((perDay * 27) / 24);
  const movements: LedgerMovement[] = [];
  const docs: [string, Record<string, unknown>][] = [];
  const markedBefore: string[] = [];
  let planted = 0;
  for (let i = 0; i < count; i++) {
    const slow = i % 100 === 7;
    const placedAt = slow
      ? now - 27 * HOUR + (i % 3_600) * 1000
      : now - 27 * HOUR + (i / count) * 27 * HOUR;
    const failed = !slow && i % 10 === 3;
    const { data, datamart } = appOrder({
      key: `R${i}`,
      placedAt: new Date(placedAt),
      status: failed ? "failed" : "delivered",
      datamartStatus: failed ? "failed" : "completed",
    });
    const price = datamart!.price!;
    const at = (ms: number) => new Date(ms).toISOString();
    // Every refund and delivery has happened by now: a later one is the next report's.
    const doneAt = Math.min(
      now - 60_000,
      failed
        ? placedAt + (i % 100 === 13 ? 5 * HOUR : 10 * 60_000)
        : slow
          ? now - 2 * HOUR
          : placedAt + 5 * 60_000,
    );
    const purchase = {
      type: "purchase",
      amount: price,
      status: "completed",
      reference: datamart!.transactionReference,
      gateway: "wallet",
      createdAt: at(placedAt),
      orderId: datamart!.orderId,
    };
    const plant = planted < 9 && placedAt > windowStart + HOUR && i % 50 === 11 ? ++planted : 0;
    if (plant === 0 || plant > 3)
      movements.push(plant > 6 ? { ...purchase, amount: price + 1 } : purchase);
    if (failed && plant === 0)
      movements.push({ ...purchase, type: "refund", createdAt: at(doneAt) });
    docs.push([
      `R${i}`,
      {
        ...data,
        status: plant > 3 && plant <= 6 ? "failed" : data.status,
        lastSyncedAt: at(doneAt),
        ...(failed
          ? {
              refund: {
                state: "credited",
                amountPesewas: Math.round((data.amount as number) * 100),
              },
            }
          : {}),
      },
    ]);
    // Yesterday's report marked the orders it read a charge for.
    if (placedAt < windowStart) markedBefore.push(`R${i}`);
  }
  movements.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const m of movements) standIn.addMovement(m);
  for (let i = 0; i < docs.length; i += 400) {
    const batch = firestore.batch();
    for (const [id, data] of docs.slice(i, i + 400))
      batch.set(firestore.collection(COLLECTIONS.transactions).doc(id), data);
    await batch.commit();
  }
  await markCharged(firestore, markedBefore, "yesterday", new Date(now));
  await firestore
    .collection(COLLECTIONS.syncState)
    .doc("datamartReconciliation")
    .set({ coveredUntil: new Date(now - 24 * HOUR).toISOString() });
  const inWindow = movements.filter((m) => Date.parse(m.createdAt) >= windowStart).length;
  return { inWindow, orders: docs.length } satisfies Day;
}

/** The largest document the reconciliation keeps, as stored JSON (about Firestore's own size). */
async function largestDocBytes(firestore: Firestore): Promise<number> {
  const sizes = await Promise.all(
    [COLLECTIONS.syncState, COLLECTIONS.reconciliationReports, COLLECTIONS.reconciliationCases].map(
      async (name) =>
        (await firestore.collection(name).get()).docs.map((d) => JSON.stringify(d.data()).length),
    ),
  );
  return Math.max(...sizes.flat());
}

async function benchSize(firestore: Firestore, standIn: DatamartStandIn, perDay: number) {
  const now = Date.now();
  const day = await seedDay(firestore, standIn, perDay, now);
  const deps: ReconcileDeps = {
    db: firestore,
    datamart: new DatamartClient({ baseUrl: standIn.baseUrl, apiKey: "bench", timeoutMs: 10_000 }),
    options: { windowDays: 1, ratePerMinute: 6_000, timeBudgetMs: RUN_SECONDS * 1000 },
  };
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  let largest = 0;
  let report: ReconciliationReport | undefined;
  resetFirestoreCounts();
  standIn.resetCounters();
  const started = performance.now();
  for (let run = 0; run < 200 && !report?.complete; run++) {
    report = await runReconciliation(deps, "schedule");
    if (process.env.BENCH_VERBOSE)
      console.log(
        `    run ${run}: ${report.pages} pages, ${report.movements} movements, ${report.stoppedEarly ?? ""} ${report.error ?? ""} skipped=${report.skipped}`,
      );
    // Five minutes of new orders at the head of the ledger before the next run.
    for (let n = 0; n < perDay / 288; n++)
      standIn.addMovement({
        type: "purchase",
        amount: 5.98,
        status: "completed",
        reference: `TRX-NEW${run}-${n}`,
        createdAt: new Date().toISOString(),
      });
    global.gc?.();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    largest = Math.max(largest, await largestDocBytes(firestore));
  }
  const r = report!;
  const sorted = (kinds: Record<string, number>) => JSON.stringify(Object.entries(kinds).sort());
  const planted = sorted(r.mismatchesByKind) === sorted(PLANTED);
  return {
    ordersPerDay: perDay,
    ordersSeeded: day.orders,
    windowMovements: day.inWindow,
    complete: r.complete,
    runs: r.runs,
    // In production Datamart's 10 requests a minute bound a run to 40 requests in its 240 s: each
    // page's Firestore work (below, on the emulator) fits in the 6 s between two requests.
    productionRuns: Math.ceil(standIn.requests.length / PRODUCTION_REQUESTS_PER_RUN),
    msPerPageOnEmulator: ((performance.now() - started) / Math.max(1, r.pages)) | 0,
    pages: r.pages,
    datamartRequests: standIn.requests.length,
    movementsRead: r.movements,
    eachMovementOnce: r.movements === day.inWindow,
    mismatchesByKind: r.mismatchesByKind,
    exactlyThePlanted: planted,
    largestDocKiB: largest / 1024,
    heapGrowthMiB: (peakHeap - heapBefore) / 2 ** 20,
    firestoreReads: firestoreCounts.reads,
    firestoreWrites: firestoreCounts.writes,
    wallSeconds: (performance.now() - started) / 1000,
  };
}

/** Merges rows into bench/results/latest.json: a run of some sizes keeps the figures of the others. */
function writeRows(rows: Awaited<ReturnType<typeof benchSize>>[]): void {
  const dir = join(__dirname, "results");
  const file = join(dir, "latest.json");
  mkdirSync(dir, { recursive: true });
  const latest = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as { reconciliation?: typeof rows })
    : {};
  const kept = (latest.reconciliation ?? []).filter(
    (row) => !rows.some((r) => r.ordersPerDay === row.ordersPerDay),
  );
  const reconciliation = [...kept, ...rows].sort((a, b) => a.ordersPerDay - b.ordersPerDay);
  writeFileSync(file, JSON.stringify({ ...latest, reconciliation }, null, 2) + "\n");
}

async function main(): Promise<void> {
  const projectId = "demo-datasell-bench";
  const emulator = await startFirestoreEmulator({ projectId, port: await freePort() });
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  process.env.GCLOUD_PROJECT = projectId;
  // No Google metadata server here: without this the SDK's look-up warns (and waits) on the way out.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  const firestore = db();
  const standIn = await DatamartStandIn.start({ apiKey: "bench", ratePerMinute: 100_000 });
  const rows: Awaited<ReturnType<typeof benchSize>>[] = [];
  try {
    for (const perDay of SIZES) {
      standIn.reset();
      await fetch(
        `http://${emulator.host}/emulator/v1/projects/${projectId}/databases/(default)/documents`,
        { method: "DELETE" },
      );
      rows.push(await benchSize(firestore, standIn, perDay));
      writeRows(rows);
      console.log(`  ${fmt(perDay)} orders a day: ${rows.at(-1)!.runs} runs`);
    }
  } finally {
    await standIn.close();
    await stopAll();
  }
  console.log(`
Nightly reconciliation: runs of ${RUN_SECONDS} s here, five minutes of new orders between runs; in production a run asks Datamart ${PRODUCTION_REQUESTS_PER_RUN} times (240 s at 10/min)
| orders a day | window movements | runs here | runs in production (5 min apart) | pages | Datamart requests | ms a page on the emulator | each movement once | exactly the planted mismatches | largest doc KiB | heap growth MiB | Firestore reads | writes |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.map((r) => `| ${fmt(r.ordersPerDay)} | ${fmt(r.windowMovements)} | ${r.runs} | ${r.productionRuns} (${r.productionRuns * 5} min) | ${fmt(r.pages)} | ${fmt(r.datamartRequests)} | ${fmt(r.msPerPageOnEmulator)} | ${r.eachMovementOnce ? "yes" : `no (${fmt(r.movementsRead)})`} | ${r.exactlyThePlanted ? "yes" : JSON.stringify(r.mismatchesByKind)} | ${fmt(r.largestDocKiB, 1)} | ${fmt(r.heapGrowthMiB, 1)} | ${fmt(r.firestoreReads)} | ${fmt(r.firestoreWrites)} |`).join("\n")}`);
  console.log("\nWrote the reconciliation figures into bench/results/latest.json");
}

void main();
