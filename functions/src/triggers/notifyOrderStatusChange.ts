import { onDocumentUpdated } from "firebase-functions/v2/firestore";
import { mnotifyApiKey } from "../config";
import { notifyStatusChange } from "../notifications/notifyStatusChange";
import { db } from "../firestore";
import { readSettings } from "../settings";
import { adoptIfUnreachable } from "../sync/adoptions";
import { deliveryDeps } from "../wiring";

/**
 * Tells the customer when an order's status changes, and hands the sync an order this write made
 * checkable (see sync/adoptions.ts). Retries are off: a message that was not sent stays PENDING on
 * its record and the sweep sends it, with backoff, within the retry window.
 */
export const notifyOrderStatusChange = onDocumentUpdated(
  { document: "transactions/{transactionId}", secrets: [mnotifyApiKey], retry: false },
  async (event) => {
    if (!event.data) return;
    const settings = readSettings();
    const before = event.data.before.data();
    const after = event.data.after.data();
    const orderId = event.params.transactionId;
    await Promise.all([
      notifyStatusChange(deliveryDeps(settings), { transactionId: orderId, before, after }),
      adoptIfUnreachable(db(), settings.sync.freshForMs, {
        orderId,
        before,
        after,
        writtenAt: new Date(event.time),
      }),
    ]);
  },
);
