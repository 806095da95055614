import type { StoreDeps } from "../firestore";
import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import type { Mismatch } from "../domain/reconciliation";
import { AppError, documentId, parseInput } from "../errors";
import { docsWhereIn, GrpcStatus, hasGrpcStatus } from "../firestore";
import {
  CASE_STATES,
  COLLECTIONS,
  type CaseUpdateAnswer,
  type ReconciliationReport,
} from "../contract";

const caseUpdateSchema = z.object({
  caseId: documentId("caseId"),
  state: z.enum(CASE_STATES),
  note: z.string().trim().min(1, "note is required").max(2_000),
});

/**
 * An admin's verdict on a reconciliation case: its state (open, explained, resolved) with a note,
 * the admin's uid and the time, kept in the case's history. It never moves money: a refund goes
 * through adminRefundOrder.
 */
export async function updateCaseByAdmin(
  { db }: StoreDeps,
  adminUid: string,
  input: unknown,
  now = new Date(),
): Promise<CaseUpdateAnswer> {
  const { caseId, state, note } = parseInput(caseUpdateSchema, input);
  const ref = db.collection(COLLECTIONS.reconciliationCases).doc(caseId);
  return db.runTransaction(async (tx) => {
    const snapshot = await tx.get(ref);
    if (!snapshot.exists) throw new AppError("not-found", "No such reconciliation case");
    const at = Timestamp.fromDate(now);
    tx.update(ref, {
      state,
      note,
      updatedBy: adminUid,
      updatedAt: at,
      history: FieldValue.arrayUnion({ state, note, by: adminUid, at }),
    });
    return { success: true, caseId, previousState: String(snapshot.get("state")), state };
  });
}

/**
 * One case per mismatch, created once and updated when found again (its state is the admins'); the
 * report counts them.
 */
export async function recordCases(
  db: Firestore,
  report: ReconciliationReport,
  mismatches: Mismatch[],
  now: Date,
): Promise<void> {
  const at = Timestamp.fromDate(now);
  const cases = db.collection(COLLECTIONS.reconciliationCases);
  await Promise.all(
    mismatches.map(async (m) => {
      report.mismatches += 1;
      report.mismatchesByKind[m.kind] = (report.mismatchesByKind[m.kind] ?? 0) + 1;
      const found = { ...m, lastFoundAt: at, lastReportId: report.reportId };
      try {
        await cases.doc(m.caseId).create({ ...found, state: "open", firstFoundAt: at });
        report.newCases += 1;
      } catch (error) {
        if (!hasGrpcStatus(error, GrpcStatus.ALREADY_EXISTS)) throw error;
        await cases.doc(m.caseId).update(found);
      }
    }),
  );
}

/**
 * Resolves the open cases among `caseIds` that an earlier report found and this one, judging the
 * same orders on all their movements, no longer does: the note says which report found it settled.
 * A case an admin has already explained or resolved is left as the admin left it. The judged orders'
 * cases are found by order, 30 orders a query: most orders have none, so it costs a read or so per
 * query, not one per case id.
 */
export async function clearSettledCases(
  db: Firestore,
  report: ReconciliationReport,
  judged: { orderIds: string[]; caseIds: string[] },
  now: Date,
): Promise<void> {
  const passed = new Set(judged.caseIds);
  const cases = db.collection(COLLECTIONS.reconciliationCases);
  const found = await docsWhereIn(cases, "orderId", judged.orderIds);
  const at = Timestamp.fromDate(now);
  const note = `Settled: report ${report.reportId} found Datamart and DataSell agree on this order`;
  await Promise.all(
    found
      .filter(
        (c) =>
          passed.has(c.id) &&
          c.get("state") === "open" &&
          c.get("lastReportId") !== report.reportId,
      )
      .map(async (c) => {
        await c.ref.update({
          state: "resolved",
          note,
          updatedBy: "reconciliation",
          updatedAt: at,
          history: FieldValue.arrayUnion({ state: "resolved", note, by: "reconciliation", at }),
        });
        report.clearedCases = (report.clearedCases ?? 0) + 1;
      }),
  );
}
