import { onSchedule } from "firebase-functions/v2/scheduler";
import { datamartApiKey, SUPPLIER_HEALTH_SCHEDULE } from "../deployConfig";
import { checkSupplierHealth as check } from "../supplier/supplierHealth";
import { supplierHealthDeps } from "../wiring";

/** Every 30 minutes: Datamart's balance and delivery times, stored for the console and logged. */
export const checkSupplierHealth = onSchedule(
  {
    schedule: SUPPLIER_HEALTH_SCHEDULE,
    maxInstances: 1,
    retryCount: 0,
    // Two Datamart requests side by side and a few reads: well inside, with the margin.
    timeoutSeconds: 60,
    secrets: [datamartApiKey],
  },
  async () => {
    await check(supplierHealthDeps());
  },
);
