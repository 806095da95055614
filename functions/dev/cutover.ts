/*
 * Switch-on day: `npm run cutover -- --project <id> [--older-than-hours 48] [--apply]`.
 *
 * Against DataSell's live project (the operator's Application Default Credentials), before the first
 * sync runs: counts the open orders (`processing`, legacy `success`) by status and age, and marks
 * those placed longer ago than the limit (or with no readable placement time) with `cutover`, so the
 * sync corrects their status silently: no customer message (domain/customerNotice.ts), no automatic
 * refund (flagged for an admin instead), and the console lists them. Without `--apply` it is a dry
 * run: it prints what it would mark and writes nothing. Marking is idempotent.
 */
import { initializeApp } from "firebase-admin/app";
import { FieldPath, getFirestore, Timestamp, type Firestore } from "firebase-admin/firestore";
import { parseArgs } from "node:util";
import { OPEN_STATUSES } from "../src/domain/orderStatus";
import { placedAt } from "../src/domain/pollSchedule";
import { COLLECTIONS } from "../src/contract";

const HOUR = 3_600_000;
const PAGE = 500;

/** Age buckets an operator reads at a glance. */
const BUCKETS: [label: string, upToHours: number][] = [
  ["< 1 h", 1],
  ["1-24 h", 24],
  ["1-2 days", 48],
  ["2-7 days", 7 * 24],
  ["7-30 days", 30 * 24],
  ["> 30 days", Infinity],
];
const NO_TIME = "no readable time";

export interface CutoverPlan {
  olderThanHours: number;
  /** Open orders by stored status, then by age bucket. */
  counts: Record<string, Record<string, number>>;
  open: number;
  /** Orders that would be (or were) marked now; ones marked before are counted apart. */
  toMark: string[];
  alreadyMarked: number;
}

/** Which age bucket an order placed at `placed` falls in at `now`. */
export function ageBucket(placed: Date | undefined, now: Date): string {
  if (!placed) return NO_TIME;
  const hours = (now.getTime() - placed.getTime()) / HOUR;
  return BUCKETS.find(([, upTo]) => hours < upTo)?.[0] ?? BUCKETS[BUCKETS.length - 1][0];
}

/** Reads every open order (paged by id, so only open orders are billed) and plans the marks. */
export async function planCutover(
  db: Firestore,
  olderThanHours: number,
  now = new Date(),
): Promise<CutoverPlan> {
  const plan: CutoverPlan = { olderThanHours, counts: {}, open: 0, toMark: [], alreadyMarked: 0 };
  const query = db
    .collection(COLLECTIONS.transactions)
    .where("status", "in", [...OPEN_STATUSES])
    .orderBy(FieldPath.documentId())
    .limit(PAGE);
  for (let page = await query.get(); !page.empty;) {
    for (const doc of page.docs) {
      const status = String(doc.get("status"));
      const placed = placedAt(doc.data());
      const bucket = ageBucket(placed, now);
      plan.open += 1;
      plan.counts[status] ??= {};
      plan.counts[status][bucket] = (plan.counts[status][bucket] ?? 0) + 1;
      if (doc.get("cutover") != null) plan.alreadyMarked += 1;
      else if (!placed || now.getTime() - placed.getTime() > olderThanHours * HOUR)
        plan.toMark.push(doc.id);
    }
    if (page.size < PAGE) break;
    page = await query.startAfter(page.docs[page.size - 1]).get();
  }
  return plan;
}

/** Marks the planned orders, each only if nobody marked it meanwhile. */
export async function applyCutover(db: Firestore, plan: CutoverPlan, now = new Date()) {
  const writer = db.bulkWriter();
  const mark = {
    cutover: {
      markedAt: Timestamp.fromDate(now),
      olderThanHours: plan.olderThanHours,
      reason: "open at switch-on: corrected without a message or an automatic refund",
    },
  };
  for (const id of plan.toMark)
    void writer.update(db.collection(COLLECTIONS.transactions).doc(id), mark);
  await writer.close();
}

/** The plan as the operator reads it. */
export function describePlan(plan: CutoverPlan, applied: boolean): string {
  const columns = [...BUCKETS.map(([label]) => label), NO_TIME];
  const rows = Object.entries(plan.counts).map(([status, byAge]) => [
    status,
    ...columns.map((c) => String(byAge[c] ?? 0)),
  ]);
  const table = [["status", ...columns], ...rows];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = table.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  "));
  const verb = applied ? "Marked" : "Would mark (dry run: nothing written; add --apply)";
  return [
    `Open orders: ${plan.open}`,
    ...lines,
    `${verb}: ${plan.toMark.length} open orders placed more than ${plan.olderThanHours} h ago or with no readable time`,
    `Already marked: ${plan.alreadyMarked}. Left to the sync as usual: ${plan.open - plan.toMark.length - plan.alreadyMarked}`,
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      project: { type: "string" },
      "older-than-hours": { type: "string", default: "48" },
      apply: { type: "boolean", default: false },
    },
  });
  const project = values.project;
  const olderThanHours = Number(values["older-than-hours"]);
  if (!project || !(olderThanHours > 0))
    throw new Error(
      "Usage: npm run cutover -- --project <projectId> [--older-than-hours 48] [--apply]",
    );
  if (project.startsWith("demo-") && !process.env.FIRESTORE_EMULATOR_HOST)
    throw new Error(`${project} is a demo project: set FIRESTORE_EMULATOR_HOST to its emulator`);
  const db = getFirestore(initializeApp({ projectId: project }));
  const plan = await planCutover(db, olderThanHours);
  if (values.apply) await applyCutover(db, plan);
  console.log(describePlan(plan, values.apply));
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
