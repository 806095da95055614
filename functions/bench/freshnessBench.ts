import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshnessDesigns, freshnessReport, pollPathCost, simulatedOrders } from "./freshness";

/*
 * `npm run bench:freshness`: the poll path's freshness simulation alone (seconds, no emulator):
 * prints the table and writes its figures into bench/results/latest.json beside the sync bench's.
 * BENCH_FRESHNESS_ORDERS (5000) orders placed over 6 hours.
 */

const orders = Number(process.env.BENCH_FRESHNESS_ORDERS ?? 5_000);
const results = freshnessDesigns(simulatedOrders(orders, 6), 6);
console.log(freshnessReport(results, orders));

const dir = join(__dirname, "results");
const file = join(dir, "latest.json");
mkdirSync(dir, { recursive: true });
const latest = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as object) : {};
writeFileSync(
  file,
  JSON.stringify(
    {
      ...latest,
      freshness: results.map(({ delaysSeconds: _, ...figures }) => figures),
      pollPathCost: pollPathCost(results[results.length - 1], 5_000),
    },
    null,
    2,
  ) + "\n",
);
console.log("\nWrote the freshness figures into bench/results/latest.json");
