import { onDocumentUpdated } from "firebase-functions/v2/firestore";
import { mnotifyApiKey } from "../config";
import { notifyStatusChange } from "../notifications/notifyStatusChange";
import { deliveryDeps } from "../wiring";

/**
 * Tells the customer when an order's status changes. Retries are off: a message that was not sent
 * stays PENDING on its record and the sweep sends it, with backoff, within the retry window.
 */
export const notifyOrderStatusChange = onDocumentUpdated(
  { document: "transactions/{transactionId}", secrets: [mnotifyApiKey], retry: false },
  async (event) => {
    if (!event.data) return;
    await notifyStatusChange(deliveryDeps(), {
      transactionId: event.params.transactionId,
      before: event.data.before.data(),
      after: event.data.after.data(),
    });
  },
);
