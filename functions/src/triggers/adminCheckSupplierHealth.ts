import { datamartApiKey } from "../deployConfig";
import { checkSupplierHealth } from "../supplier/supplierHealth";
import { supplierHealthDeps } from "../wiring";
import { adminCallable } from "./callable";

/** Admins only: Datamart's balance and delivery times, checked now (also every 30 minutes). */
export const adminCheckSupplierHealth = adminCallable(
  "adminCheckSupplierHealth",
  "check supplier health",
  { secrets: [datamartApiKey] },
  () => checkSupplierHealth(supplierHealthDeps()),
);
