/**
 * `npm run bench:freshness:engine`: the freshness simulation (bench/freshness.ts) checked against the
 * real sync engine. The same simulated orders are placed on the Firestore emulator and the stand-in
 * Datamart at their times, Datamart finishes each at its time, and scheduled runs with production's
 * settings (every 5 minutes, passes every 90 s in a 240 s budget, aging, the hourly sweep, 180
 * requests a minute) apply what it says, all on one clock running ENGINE_FRESHNESS_SPEED (60) times
 * real time. Prints, per source, the seconds from Datamart's final status to the request that
 * learned it, for the orders finished ENGINE_FRESHNESS_HOURS (2) hours into the day.
 *
 * Options (environment): ENGINE_FRESHNESS_ORDERS (120), ENGINE_FRESHNESS_HOURS (2),
 * ENGINE_FRESHNESS_SPEED (60). About HOURS x 60 / SPEED minutes, plus a minute to start.
 */
import "../dev/capturedLogs";
import { clockAt } from "../dev/clocks";
import { freePort, startFirestoreEmulator } from "../dev/emulators";
import { appOrder } from "../dev/orderFactory";
import { stopAll } from "../dev/processes";
import { DatamartStandIn } from "../dev/standins/datamartStandIn";
import { COLLECTIONS } from "../src/contract";
import { db } from "../src/firestore";
import { DatamartClient } from "../src/providers/datamart";
import { runSync } from "../src/sync/syncEngine";
import { passesDesign, simulatedOrders } from "./freshness";
import { fmt } from "./format";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ORDERS = env("ENGINE_FRESHNESS_ORDERS", 120);
const HOURS = env("ENGINE_FRESHNESS_HOURS", 2);
const SPEED = env("ENGINE_FRESHNESS_SPEED", 60);
const MIN = 60_000;
const RUN_EVERY_MS = 5 * MIN;
/** The day's start on the shared clock; the simulation's time 0. */
const T0 = Date.parse("2026-12-07T08:00:00Z");

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function summary(label: string, delays: number[]): string {
  const sorted = [...delays].sort((a, b) => a - b);
  return `| ${label} | ${sorted.length} | ${fmt(percentile(sorted, 0.5))} | ${fmt(percentile(sorted, 0.95))} | ${fmt(sorted.at(-1) ?? 0)} |`;
}

async function main(): Promise<void> {
  // No Google metadata server here: without this, every emulator request warns that it found none.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  const projectId = "demo-datasell-bench";
  const emulator = await startFirestoreEmulator({ projectId, port: await freePort() });
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  process.env.GCLOUD_PROJECT = projectId;
  const firestore = db();
  const standIn = await DatamartStandIn.start({ apiKey: "bench-key" });
  const datamart = new DatamartClient({
    baseUrl: standIn.baseUrl,
    apiKey: "bench-key",
    timeoutMs: 10_000,
  });

  // Only orders Datamart finishes inside the day, early enough for a run to see it.
  const endMs = HOURS * 60 * MIN;
  const simulated = simulatedOrders(ORDERS, HOURS).filter((o) => o.finalAt <= endMs - 10 * MIN);
  const orders = simulated.map((sim, i) => ({
    sim,
    ...appOrder({ id: `fresh-${i}`, placedAt: new Date(T0 + sim.placedAt), key: `F${i}` }),
  }));

  const realStart = Date.now();
  const clock = clockAt(T0, SPEED);
  const virtualOf = (realMs: number) => (realMs - realStart) * SPEED;
  const placed = new Set<number>();
  const finishedAtReal = new Map<number, number>();

  // Datamart's side and the app's: each order placed, then finished, at its time.
  let driving = true;
  const driver = (async () => {
    while (driving) {
      const now = clock.now() - T0;
      for (const [i, order] of orders.entries()) {
        if (!placed.has(i) && order.sim.placedAt <= now) {
          placed.add(i);
          standIn.addOrder(order.datamart!);
          await firestore.collection(COLLECTIONS.transactions).doc(order.id).set(order.data);
        }
        if (placed.has(i) && !finishedAtReal.has(i) && order.sim.finalAt <= now) {
          finishedAtReal.set(i, Date.now());
          standIn.setStatus(order.datamart!.orderId, "completed");
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();

  const deps = {
    db: firestore,
    datamart,
    walletRefunds: true,
    clock,
    options: {
      concurrency: 8,
      ratePerMinute: 180,
      timeBudgetMs: 240_000,
      maxConsecutiveFailures: 5,
      freshForMs: 60 * MIN,
      freshIntervalMs: 90_000,
      sweepPeriodMs: 60 * MIN,
      attentionAfterMs: 24 * 60 * MIN,
    },
  };
  let runs = 0;
  let passes = 0;
  let lateStarts = 0;
  for (let at = 0; at <= endMs; at += RUN_EVERY_MS) {
    const wait = T0 + at - clock.now();
    if (wait > 0) await clock.sleep(wait);
    else lateStarts += 1;
    const run = await runSync(deps, "schedule");
    runs += 1;
    passes += run.passes;
  }
  driving = false;
  await driver;

  // The first request after Datamart finished an order is the one that learned it.
  const referencesOf = new Map<string, number>();
  for (const [i, order] of orders.entries()) {
    const d = order.datamart!;
    for (const ref of [d.orderId, d.orderReference, d.transactionReference])
      referencesOf.set(ref, i);
  }
  const learnedAtReal = new Map<number, number>();
  for (const request of standIn.requests) {
    const i = referencesOf.get(request.reference);
    const finished = i === undefined ? undefined : finishedAtReal.get(i);
    if (
      i !== undefined &&
      finished !== undefined &&
      request.at >= finished &&
      !learnedAtReal.has(i)
    )
      learnedAtReal.set(i, request.at);
  }
  const engineDelays = [...learnedAtReal].map(
    ([i, at]) => (virtualOf(at) - orders[i].sim.finalAt) / 1000,
  );
  const simulation = passesDesign(simulated, HOURS, true);
  const unlearned = orders.length - learnedAtReal.size;

  console.log(`
Freshness on the real engine (Firestore emulator, stand-in Datamart), production schedule on a clock
${SPEED} times real time: ${orders.length} orders Datamart finished within the first ${HOURS} h (of ${ORDERS}
placed), ${runs} scheduled runs, ${passes} passes, ${lateStarts} run(s) started late. Seconds from
Datamart's final status to the check that learned it:
| source | orders | p50 s | p95 s | max s |
|---|---|---|---|---|
${summary("engine", engineDelays)}
${summary("simulation (bench/freshness.ts, passes + aging)", simulation.delaysSeconds)}
${unlearned === 0 ? "Every order was learned." : `${unlearned} order(s) never learned: a defect to look at.`}`);
  if (unlearned > 0) process.exitCode = 1;
  await standIn.close();
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
