/**
 * `npm run bench`: the sync engine against the seed's algorithm on the real Firestore emulator and
 * the stand-in Datamart, then how the engine's cost grows with due orders and with collection size.
 * Prints a table, writes bench/results/latest.json, and ends with the headline ratio.
 *
 * Options (environment): BENCH_RUNS (3), BENCH_TOTAL (20000), BENCH_DUE (1000), BENCH_LATENCY_MS
 * (150), BENCH_JITTER_MS (30), BENCH_CONCURRENCY (8), BENCH_RATE (6000), BENCH_REAL_RATE_SECONDS
 * (60: how long the run at Datamart's real ~180/min limit goes), BENCH_GROWTH (1; 0 skips the table),
 * BENCH_FRESHNESS_ORDERS (5000: orders in the freshness simulation). Also writes SVG charts there.
 */
import "../dev/capturedLogs";
import "./firestoreCounter";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Firestore } from "firebase-admin/firestore";
import { freePort, startFirestoreEmulator } from "../dev/emulators";
import { stopAll } from "../dev/processes";
import { DatamartStandIn } from "../dev/standins/datamartStandIn";
import { db } from "../src/firestore";
import { DatamartClient } from "../src/providers/datamart";
import { runSync, type SyncOptions } from "../src/sync/syncEngine";
import { resetDue, seed } from "./benchOrders";
import { measure, medianOf, type Measure } from "./measure";
import { seedBaseline } from "./seedBaseline";
import { freshnessChart, growthChart, svgOf, type GrowthPoint, type TopLevelSpec } from "./charts";
import {
  freshnessDesigns,
  freshnessReport,
  pollPathCost,
  simulatedOrders,
  type FreshnessResult,
} from "./freshness";
import { fmt } from "./format";

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
const FRESHNESS_ORDERS = env("BENCH_FRESHNESS_ORDERS", 5_000);
const API_KEY = "bench-key";

function engineOptions(overrides: Partial<SyncOptions> = {}): SyncOptions {
  return {
    concurrency: CONCURRENCY,
    ratePerMinute: RATE,
    timeBudgetMs: 600_000,
    maxConsecutiveFailures: 5,
    freshForMs: 3_600_000,
    // One pass: the bench measures a run's work, not a scheduled run's repeat passes.
    freshIntervalMs: 3_600_000,
    sweepPeriodMs: 3_600_000,
    attentionAfterMs: 24 * 3_600_000,
    ...overrides,
  };
}

const floorSeconds = (due: number, concurrency: number, rate: number) =>
  Math.max((due * (LATENCY + JITTER / 2)) / 1000 / concurrency, (due / rate) * 60);

interface Bench {
  firestore: Firestore;
  standIn: DatamartStandIn;
  client: DatamartClient;
  /** A run of the engine, measurable. */
  engine(options?: SyncOptions): () => Promise<{ checked: number; changed: number }>;
  /** Empties the emulator. */
  clear(): Promise<unknown>;
}

async function startBench(): Promise<Bench> {
  const projectId = "demo-datasell-bench";
  const emulator = await startFirestoreEmulator({ projectId, port: await freePort() });
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  process.env.GCLOUD_PROJECT = projectId;
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
  return {
    firestore,
    standIn,
    client,
    engine:
      (options = engineOptions()) =>
      async () => {
        const summary = await runSync(
          { db: firestore, datamart: client, options, walletRefunds: true },
          "schedule",
        );
        return { checked: summary.checked, changed: summary.updated };
      },
    clear: () =>
      fetch(
        `http://${emulator.host}/emulator/v1/projects/${projectId}/databases/(default)/documents`,
        { method: "DELETE" },
      ),
  };
}

/** 1. Side by side, interleaved, same data and stand-in each time. */
async function sideBySide(
  bench: Bench,
): Promise<{ baselineRuns: Measure[]; engineRuns: Measure[] }> {
  const { firestore, standIn, client } = bench;
  const baselineRuns: Measure[] = [];
  const engineRuns: Measure[] = [];
  for (let run = 1; run <= RUNS; run++) {
    await resetDue(firestore, standIn, DUE);
    baselineRuns.push(await measure(standIn, () => seedBaseline(firestore, client)));
    console.log(`  run ${run}: seed baseline ${fmt(baselineRuns.at(-1)!.seconds, 1)} s`);
    await resetDue(firestore, standIn, DUE);
    engineRuns.push(await measure(standIn, bench.engine()));
    console.log(`  run ${run}: engine        ${fmt(engineRuns.at(-1)!.seconds, 1)} s`);
  }
  return { baselineRuns, engineRuns };
}

/** 2. At Datamart's real limit: how many orders a run can check. */
async function atRealLimit(bench: Bench): Promise<Measure> {
  const { firestore, standIn } = bench;
  await resetDue(firestore, standIn, DUE);
  standIn.setRatePerMinute(200);
  standIn.resetCounters(); // a fresh rate-limit window, as at the start of a scheduled run
  const measured = await measure(
    standIn,
    bench.engine(engineOptions({ ratePerMinute: 180, timeBudgetMs: REAL_RATE_SECONDS * 1000 })),
  );
  standIn.setRatePerMinute(RATE);
  return measured;
}

interface GrowthRow {
  total: number;
  due: number;
  m: Measure;
  floor: number;
}

/** 3. Growth: due orders at a fixed total, then the total at fixed due orders. */
async function growthRows(bench: Bench, atDefaults: Measure): Promise<GrowthRow[]> {
  const cases = [
    ...[100, 1_000, 5_000].map((due) => ({ total: TOTAL, due })),
    ...[5_000, 50_000].map((total) => ({ total, due: DUE })),
  ];
  const rows: GrowthRow[] = [];
  for (const c of cases) {
    await bench.clear();
    await seed(bench.firestore, bench.standIn, c.total, c.due);
    const m = await measure(bench.standIn, bench.engine());
    rows.push({ ...c, m, floor: floorSeconds(c.due, CONCURRENCY, RATE) });
    console.log(
      `  growth: ${fmt(c.total)} orders, ${fmt(c.due)} due: ${fmt(m.seconds, 1)} s, ${fmt(m.reads)} reads`,
    );
  }
  if (!rows.some((g) => g.total === TOTAL && g.due === DUE))
    rows.push({
      total: TOTAL,
      due: DUE,
      m: atDefaults,
      floor: floorSeconds(DUE, CONCURRENCY, RATE),
    });
  return rows.sort((a, b) => a.total - b.total || a.due - b.due);
}

function printReport(
  baseline: Measure,
  engine: Measure,
  realRate: Measure,
  growth: GrowthRow[],
  freshness: FreshnessResult[],
): void {
  const floor = floorSeconds(DUE, CONCURRENCY, RATE);
  const row = (name: string, m: Measure) =>
    `| ${name} | ${fmt(m.seconds, 1)} | ${fmt(m.reads)} | ${fmt(m.writes)} | ${fmt(m.requests)} | ${fmt(m.maxInFlight)} | ${fmt(m.peakHeapMiB, 1)} | ${fmt(m.checked)} | ${fmt(m.changed)} |`;
  console.log(`
Sync of ${fmt(TOTAL)} orders, ${fmt(DUE)} due, Datamart latency ${LATENCY} ms + up to ${JITTER} ms, median of ${RUNS} interleaved runs
| algorithm | seconds | reads | writes | Datamart requests | most in flight | peak heap MiB | checked | changed |
|---|---|---|---|---|---|---|---|---|
${row("seed baseline (read all, one at a time)", baseline)}
${row(`engine (concurrency ${CONCURRENCY}, ${fmt(RATE)}/min)`, engine)}
| baseline / engine | ${fmt(baseline.seconds / engine.seconds, 1)}x | ${fmt(baseline.reads / engine.reads, 1)}x | ${fmt(baseline.writes / engine.writes, 1)}x | | | ${fmt(baseline.peakHeapMiB / Math.max(engine.peakHeapMiB, 0.1), 1)}x | | |

Floor at latency ${LATENCY + JITTER / 2} ms (mean), concurrency ${CONCURRENCY}, ${fmt(RATE)}/min: ${fmt(floor, 1)} s; engine ${fmt(engine.seconds, 1)} s = ${fmt(engine.seconds / floor, 2)}x the floor.
Engine reads ${fmt(engine.reads)} = due + ${fmt(engine.reads - DUE)} (the sweep's slice, which steps over these young orders, the queries and counts).
Engine writes ${fmt(engine.writes)} for ${fmt(engine.changed)} changes: ${fmt(engine.writes / Math.max(1, engine.changed), 2)} per change (the order and its history entry), ${fmt(engine.writes - 2 * engine.changed)} more (lease, state, run summary).
Trigger invocations caused by bookkeeping (order writes that set no status): ${fmt(engine.orderWritesWithoutStatus)} (target 0; the baseline's ${fmt(baseline.orderWritesWithoutStatus)}).

At Datamart's real limit (engine 180/min, stand-in 200/min), a run with a ${REAL_RATE_SECONDS} s budget took ${fmt(realRate.seconds, 1)} s
and checked ${fmt(realRate.checked)} orders (${fmt((realRate.checked / realRate.seconds) * 60, 0)}/min, with ${fmt(realRate.errors)} 429s); a 5-minute run with the
default 240 s budget checks about ${fmt((realRate.checked / realRate.seconds) * 240)}.`);
  console.log(freshnessReport(freshness, FRESHNESS_ORDERS));
  if (growth.length === 0) return;
  console.log(`
How the engine's cost grows
| orders | due | seconds | floor s | reads | writes | peak heap MiB |
|---|---|---|---|---|---|---|
${growth.map((g) => `| ${fmt(g.total)} | ${fmt(g.due)} | ${fmt(g.m.seconds, 1)} | ${fmt(g.floor, 1)} | ${fmt(g.m.reads)} | ${fmt(g.m.writes)} | ${fmt(g.m.peakHeapMiB, 1)} |`).join("\n")}`);
}

/** The SVG pictures of the freshness simulation and of the growth table. */
async function writeCharts(
  dir: string,
  freshness: FreshnessResult[],
  growth: GrowthRow[],
): Promise<string[]> {
  const charts: [string, TopLevelSpec][] = [["freshness.svg", freshnessChart(freshness)]];
  const point = (g: GrowthRow): GrowthPoint => ({
    orders: g.total,
    due: g.due,
    seconds: g.m.seconds,
    reads: g.m.reads,
    writes: g.m.writes,
    peakHeapMiB: g.m.peakHeapMiB,
  });
  if (growth.length > 0) {
    charts.push([
      "growth-due.svg",
      growthChart(
        growth.filter((g) => g.total === TOTAL).map(point),
        `One run against the due orders, ${fmt(TOTAL)} orders in all`,
        "due",
      ),
    ]);
    charts.push([
      "growth-orders.svg",
      growthChart(
        growth.filter((g) => g.due === DUE).map(point),
        `One run against the collection's size, ${fmt(DUE)} due`,
        "orders",
      ),
    ]);
  }
  for (const [name, spec] of charts) writeFileSync(join(dir, name), await svgOf(spec));
  return charts.map(([name]) => `bench/results/${name}`);
}

async function main(): Promise<void> {
  const bench = await startBench();
  console.log(`Seeding ${fmt(TOTAL)} orders (${fmt(DUE)} due) ...`);
  await seed(bench.firestore, bench.standIn, TOTAL, DUE);
  const { baselineRuns, engineRuns } = await sideBySide(bench);
  const baseline = medianOf(baselineRuns);
  const engine = medianOf(engineRuns);
  const realRate = await atRealLimit(bench);
  const growth = GROWTH ? await growthRows(bench, engine) : [];
  const simulated = simulatedOrders(FRESHNESS_ORDERS, 6);
  const freshness = freshnessDesigns(simulated, 6);
  printReport(baseline, engine, realRate, growth, freshness);

  const speed = baseline.seconds / engine.seconds;
  const fewerReads = baseline.reads / engine.reads;
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
    engine: { median: engine, runs: engineRuns },
    floorSeconds: floorSeconds(DUE, CONCURRENCY, RATE),
    ratios: { faster: speed, fewerReads },
    realRate: { seconds: REAL_RATE_SECONDS, measure: realRate },
    growth,
    freshness: freshness.map(({ delaysSeconds: _, ...figures }) => figures),
    pollPathCost: pollPathCost(freshness[freshness.length - 1], 5_000),
  };
  const dir = join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "latest.json"), JSON.stringify(results, null, 2) + "\n");
  const written = await writeCharts(dir, freshness, growth);
  console.log(
    `\nWrote bench/results/latest.json, ${written.join(", ")}\nengine vs seed baseline: ${fmt(speed, 1)}x faster, ${fmt(fewerReads, 1)}x fewer reads`,
  );
  await bench.standIn.close();
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
