/**
 * `npm run bench`: the sync engine against the seed's algorithm on the real Firestore emulator and
 * the stand-in Datamart, then how the engine's cost grows with due orders and with collection size.
 * Prints a table, writes bench/results/latest.json, and ends with the headline ratio.
 *
 * Options (environment): BENCH_RUNS (3), BENCH_TOTAL (20000), BENCH_DUE (1000), BENCH_LATENCY_MS
 * (150), BENCH_JITTER_MS (30), BENCH_CONCURRENCY (8), BENCH_RATE (6000), BENCH_REAL_RATE_SECONDS
 * (60: how long the run at Datamart's real ~180/min limit goes), BENCH_GROWTH (1; 0 skips the table).
 */
import "../dev/capturedLogs";
import "./firestoreCounter";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Firestore } from "firebase-admin/firestore";
import { freePort, startFirestoreEmulator } from "../dev/emulators";
import { stopAll } from "../dev/processes";
import { DatamartStandIn } from "../dev/standins/datamartStandIn";
import { mapDatamartStatus, isFinalStatus } from "../src/domain/orderStatus";
import { COLLECTIONS, db } from "../src/firestore";
import { DatamartClient } from "../src/providers/datamart";
import { runSync, type SyncOptions } from "../src/sync/syncEngine";
import { firestoreCounts, resetFirestoreCounts } from "./firestoreCounter";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const RUNS = env("BENCH_RUNS", 3);
const TOTAL = env("BENCH_TOTAL", 20_000);
const DUE = env("BENCH_DUE", 1_000);
const LATENCY = env("BENCH_LATENCY_MS", 150);
const JITTER = env("BENCH_JITTER_MS", 30);
const CONCURRENCY = env("BENCH_CONCURRENCY", 8);
const RATE = env("BENCH_RATE", 6_000);
const REAL_RATE_SECONDS = env("BENCH_REAL_RATE_SECONDS", 60);
const GROWTH = env("BENCH_GROWTH", 1) > 0;
const API_KEY = "bench-key";

interface Measure {
  seconds: number;
  reads: number;
  writes: number;
  requests: number;
  maxInFlight: number;
  peakHeapMiB: number;
  checked: number;
  changed: number;
  /** Requests the stand-in refused with 429. */
  errors: number;
}

const FINALS = ["delivered", "failed", "cancelled", "refunded"];

/** `total` orders, `due` of them open with a Datamart reference; a third of those have moved on. */
async function seed(
  firestore: Firestore,
  datamart: DatamartStandIn,
  total: number,
  due: number,
): Promise<void> {
  datamart.reset();
  await writeOrders(firestore, datamart, total, due);
}

/** Writes orders o0..o{count-1} in batches of 400, four batches at a time (the emulator's pace). */
async function writeOrders(
  firestore: Firestore,
  datamart: DatamartStandIn,
  count: number,
  due: number,
): Promise<void> {
  const placedAt = Date.now() - 30 * 60_000;
  const starts = Array.from({ length: Math.ceil(count / 400) }, (_, i) => i * 400);
  for (let i = 0; i < starts.length; i += 4) {
    await Promise.all(
      starts.slice(i, i + 4).map((start) => {
        const batch = firestore.batch();
        for (let n = start; n < Math.min(start + 400, count); n++) {
          batch.set(
            firestore.collection(COLLECTIONS.transactions).doc(`o${n}`),
            order(n, due, placedAt, datamart),
          );
        }
        return batch.commit();
      }),
    );
  }
}

function order(
  i: number,
  due: number,
  placedAt: number,
  datamart: DatamartStandIn,
): Record<string, unknown> {
  const open = i < due;
  const purchaseId = (0x66a000000000000000000000n + BigInt(i)).toString(16);
  const datamartResponse = {
    purchaseId,
    orderReference: `GN-B${i}`,
    transactionReference: `TRX-B${i}`,
  };
  if (open) {
    datamart.addOrder({
      orderId: purchaseId,
      orderReference: `GN-B${i}`,
      transactionReference: `TRX-B${i}`,
      status: i % 3 === 0 ? "completed" : "processing",
    });
  }
  return {
    userId: `user-${i % 500}`,
    network: "YELLO",
    packageName: "1GB",
    volume: "1",
    phoneNumber: "0241234567",
    amount: 6.5,
    status: open ? "processing" : FINALS[i % FINALS.length],
    reference: `DS-${i}`,
    transactionId: `DS-${i}`,
    datamartTransactionId: purchaseId,
    datamartResponse,
    datamartStatus: open ? "pending" : "completed",
    lastSyncedAt: null,
    timestamp: new Date(placedAt + i).toISOString(),
    paymentMethod: "wallet",
  };
}

/** Puts the due orders back as they were before a run, and forgets the engine's discovery mark. */
async function resetDue(
  firestore: Firestore,
  datamart: DatamartStandIn,
  due: number,
): Promise<void> {
  await writeOrders(firestore, datamart, due, due);
  await firestore.collection(COLLECTIONS.syncState).doc("datamartSync").delete();
  datamart.resetCounters();
}

/** The seed's algorithm, as it was: read every order, filter in memory, ask Datamart one at a time. */
async function seedBaseline(
  firestore: Firestore,
  datamart: DatamartClient,
): Promise<{ checked: number; changed: number }> {
  const all = await firestore.collection(COLLECTIONS.transactions).get();
  const pending = all.docs.filter(
    (d) => !isFinalStatus(d.get("status")) && d.get("datamartTransactionId"),
  );
  let changed = 0;
  for (const doc of pending) {
    try {
      const answer = await datamart.fetchOrderStatus(String(doc.get("datamartTransactionId")));
      const status = mapDatamartStatus(answer.orderStatus);
      if (status && status !== doc.get("status")) {
        await doc.ref.update({
          status,
          datamartStatus: answer.orderStatus,
          lastSyncedAt: new Date().toISOString(),
        });
        changed += 1;
      }
    } catch {
      // The seed logged and went on.
    }
  }
  return { checked: pending.length, changed };
}

async function measure(
  datamart: DatamartStandIn,
  run: () => Promise<{ checked: number; changed: number }>,
): Promise<Measure> {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
  resetFirestoreCounts();
  const started = performance.now();
  const { checked, changed } = await run();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return {
    seconds,
    reads: firestoreCounts.reads,
    writes: firestoreCounts.writes,
    requests: datamart.requests.length,
    maxInFlight: datamart.maxInFlight,
    errors: datamart.requests.filter((r) => r.status === 429).length,
    peakHeapMiB: (peak - heapBefore) / 2 ** 20,
    checked,
    changed,
  };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
function medianOf(measures: Measure[]): Measure {
  const keys = Object.keys(measures[0]) as (keyof Measure)[];
  return Object.fromEntries(
    keys.map((k) => [k, median(measures.map((m) => m[k]))]),
  ) as unknown as Measure;
}

function engineOptions(overrides: Partial<SyncOptions> = {}): SyncOptions {
  return {
    concurrency: CONCURRENCY,
    ratePerMinute: RATE,
    timeBudgetMs: 600_000,
    maxConsecutiveFailures: 5,
    backoffMinutes: [1, 2, 5, 10, 15, 30, 60],
    attentionAfterMs: 24 * 3_600_000,
    ...overrides,
  };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const floorSeconds = (due: number, concurrency: number, rate: number) =>
  Math.max((due * (LATENCY + JITTER / 2)) / 1000 / concurrency, (due / rate) * 60);

async function main(): Promise<void> {
  const firestoreEmulator = await startFirestoreEmulator({
    projectId: "demo-datasell-bench",
    port: await freePort(),
  });
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
  process.env.GCLOUD_PROJECT = "demo-datasell-bench";
  const firestore = db();
  const standIn = await DatamartStandIn.start({
    apiKey: API_KEY,
    latencyMs: LATENCY,
    jitterMs: JITTER,
    ratePerMinute: RATE,
  });
  const client = new DatamartClient({
    baseUrl: standIn.baseUrl,
    apiKey: API_KEY,
    timeoutMs: 10_000,
  });
  const engine =
    (options = engineOptions()) =>
    async () => {
      const summary = await runSync(
        { db: firestore, datamart: client, options, walletRefunds: true },
        "schedule",
      );
      return { checked: summary.checked, changed: summary.updated };
    };
  const clear = () =>
    fetch(
      `http://${firestoreEmulator.host}/emulator/v1/projects/demo-datasell-bench/databases/(default)/documents`,
      { method: "DELETE" },
    );

  console.log(`Seeding ${fmt(TOTAL)} orders (${fmt(DUE)} due) ...`);
  await seed(firestore, standIn, TOTAL, DUE);

  // 1. Side by side, interleaved, same data and stand-in each time.
  const baselineRuns: Measure[] = [];
  const engineRuns: Measure[] = [];
  for (let run = 1; run <= RUNS; run++) {
    await resetDue(firestore, standIn, DUE);
    baselineRuns.push(await measure(standIn, () => seedBaseline(firestore, client)));
    console.log(`  run ${run}: seed baseline ${fmt(baselineRuns.at(-1)!.seconds, 1)} s`);
    await resetDue(firestore, standIn, DUE);
    engineRuns.push(await measure(standIn, engine()));
    console.log(`  run ${run}: engine        ${fmt(engineRuns.at(-1)!.seconds, 1)} s`);
  }
  const baseline = medianOf(baselineRuns);
  const engineMedian = medianOf(engineRuns);
  const floor = floorSeconds(DUE, CONCURRENCY, RATE);

  // 2. At Datamart's real limit: how many orders a run can check.
  await resetDue(firestore, standIn, DUE);
  standIn.setRatePerMinute(200);
  standIn.resetCounters(); // a fresh rate-limit window, as at the start of a scheduled run
  const realRate = await measure(
    standIn,
    engine(engineOptions({ ratePerMinute: 180, timeBudgetMs: REAL_RATE_SECONDS * 1000 })),
  );
  standIn.setRatePerMinute(RATE);

  // 3. Growth: due orders at a fixed total, then the total at fixed due orders.
  const growth: { total: number; due: number; m: Measure; floor: number }[] = [];
  if (GROWTH) {
    const cases = [
      ...[100, 1_000, 5_000].map((due) => ({ total: TOTAL, due })),
      ...[5_000, 50_000].map((total) => ({ total, due: DUE })),
    ];
    for (const c of cases) {
      await clear();
      await seed(firestore, standIn, c.total, c.due);
      const m = await measure(standIn, engine());
      growth.push({ ...c, m, floor: floorSeconds(c.due, CONCURRENCY, RATE) });
      console.log(
        `  growth: ${fmt(c.total)} orders, ${fmt(c.due)} due: ${fmt(m.seconds, 1)} s, ${fmt(m.reads)} reads`,
      );
    }
    const atDefaults = growth.find((g) => g.total === TOTAL && g.due === DUE);
    if (!atDefaults) growth.push({ total: TOTAL, due: DUE, m: engineMedian, floor });
    growth.sort((a, b) => a.total - b.total || a.due - b.due);
  }

  const row = (name: string, m: Measure) =>
    `| ${name} | ${fmt(m.seconds, 1)} | ${fmt(m.reads)} | ${fmt(m.writes)} | ${fmt(m.requests)} | ${fmt(m.maxInFlight)} | ${fmt(m.peakHeapMiB, 1)} | ${fmt(m.checked)} | ${fmt(m.changed)} |`;
  const speed = baseline.seconds / engineMedian.seconds;
  const fewerReads = baseline.reads / engineMedian.reads;
  const pages = Math.ceil(DUE / 200);
  console.log(`
Sync of ${fmt(TOTAL)} orders, ${fmt(DUE)} due, Datamart latency ${LATENCY} ms + up to ${JITTER} ms, median of ${RUNS} interleaved runs
| algorithm | seconds | reads | writes | Datamart requests | most in flight | peak heap MiB | checked | changed |
|---|---|---|---|---|---|---|---|---|
${row("seed baseline (read all, one at a time)", baseline)}
${row(`engine (concurrency ${CONCURRENCY}, ${fmt(RATE)}/min)`, engineMedian)}
| baseline / engine | ${fmt(speed, 1)}x | ${fmt(fewerReads, 1)}x | ${fmt(baseline.writes / engineMedian.writes, 1)}x | | | ${fmt(baseline.peakHeapMiB / Math.max(engineMedian.peakHeapMiB, 0.1), 1)}x | | |

Floor at latency ${LATENCY + JITTER / 2} ms (mean), concurrency ${CONCURRENCY}, ${fmt(RATE)}/min: ${fmt(floor, 1)} s; engine ${fmt(engineMedian.seconds, 1)} s = ${fmt(engineMedian.seconds / floor, 2)}x the floor.
Engine reads ${fmt(engineMedian.reads)} <= due + pages + constant = ${fmt(DUE)} + ${pages} + c (c = ${fmt(engineMedian.reads - DUE - pages)}).

At Datamart's real limit (engine 180/min, stand-in 200/min), a run with a ${REAL_RATE_SECONDS} s budget took ${fmt(realRate.seconds, 1)} s
and checked ${fmt(realRate.checked)} orders (${fmt((realRate.checked / realRate.seconds) * 60, 0)}/min, with ${fmt(realRate.errors)} 429s); a 5-minute run with the
default 240 s budget checks about ${fmt((realRate.checked / realRate.seconds) * 240)}.`);
  if (growth.length > 0) {
    console.log(`
How the engine's cost grows
| orders | due | seconds | floor s | reads | writes | peak heap MiB |
|---|---|---|---|---|---|---|
${growth.map((g) => `| ${fmt(g.total)} | ${fmt(g.due)} | ${fmt(g.m.seconds, 1)} | ${fmt(g.floor, 1)} | ${fmt(g.m.reads)} | ${fmt(g.m.writes)} | ${fmt(g.m.peakHeapMiB, 1)} |`).join("\n")}`);
  }

  const results = {
    at: new Date().toISOString(),
    settings: {
      runs: RUNS,
      total: TOTAL,
      due: DUE,
      latencyMs: LATENCY,
      jitterMs: JITTER,
      concurrency: CONCURRENCY,
      ratePerMinute: RATE,
    },
    baseline: { median: baseline, runs: baselineRuns },
    engine: { median: engineMedian, runs: engineRuns },
    floorSeconds: floor,
    ratios: { faster: speed, fewerReads },
    realRate: { seconds: REAL_RATE_SECONDS, measure: realRate },
    growth,
  };
  const dir = join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "latest.json"), JSON.stringify(results, null, 2) + "\n");
  console.log(
    `\nWrote bench/results/latest.json\nengine vs seed baseline: ${fmt(speed, 1)}x faster, ${fmt(fewerReads, 1)}x fewer reads`,
  );
  await standIn.close();
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
