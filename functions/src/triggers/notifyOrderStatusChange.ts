import { onDocumentUpdated } from "firebase-functions/v2/firestore";
import { mnotifyApiKey } from "../config";
import { notifyStatusChange } from "../notifications/notifyStatusChange";
import { smsDeliveryDeps } from "../wiring";

/**
 * Tells the customer when an order's status changes. Retries are off: a transient SMS failure stays
 * PENDING on its record and the retry sweep sends it, with backoff and an attempt limit.
 */
export const notifyOrderStatusChange = onDocumentUpdated(
  { document: "transactions/{transactionId}", secrets: [mnotifyApiKey], retry: false },
  async (event) => {
    if (!event.data) return;
    await notifyStatusChange(smsDeliveryDeps(), {
      transactionId: event.params.transactionId,
      before: event.data.before.data(),
      after: event.data.after.data(),
    });
  },
);
