import type { DatamartStandIn } from "../dev/standins/datamartStandIn";
import { firestoreCounts, resetFirestoreCounts } from "./firestoreCounter";

/** One run's cost: time, Firestore reads and writes, Datamart requests, memory. */
export interface Measure {
  seconds: number;
  reads: number;
  writes: number;
  /** Writes to orders that set no status: each wakes the order triggers for nothing. */
  orderWritesWithoutStatus: number;
  requests: number;
  maxInFlight: number;
  peakHeapMiB: number;
  checked: number;
  changed: number;
  /** Requests the stand-in refused with 429. */
  errors: number;
}

/** Runs `run` once and measures it. */
export async function measure(
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
    orderWritesWithoutStatus: firestoreCounts.orderWritesWithoutStatus,
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
export function medianOf(measures: Measure[]): Measure {
  const keys = Object.keys(measures[0]) as (keyof Measure)[];
  return Object.fromEntries(
    keys.map((k) => [k, median(measures.map((m) => m[k]))]),
  ) as unknown as Measure;
}
