import { updateCaseByAdmin } from "../reconciliation/cases";
import { storeDeps } from "../firestore";
import { adminCallable } from "./callable";

/** Admins only: `{caseId, state, note}` -> a reconciliation case's state; never moves money. */
export const adminUpdateReconciliationCase = adminCallable(
  "adminUpdateReconciliationCase",
  "change a reconciliation case",
  {},
  (caller, data) => updateCaseByAdmin(storeDeps(), caller.uid, data),
);
