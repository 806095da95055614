import { onDocumentUpdated } from "firebase-functions/v2/firestore";
import { mnotifyApiKey } from "../deployConfig";
import { eventStillTimely } from "../domain/deliveryVerdict";
import { logStatusEventDropped } from "../logs";
import { notifyStatusChange } from "../notifications/notifyStatusChange";
import { readSettings } from "../settings";
import { adoptIfUnreachable } from "../sync/adoptions";
import { notifyDeps } from "../channelWiring";
import { adoptionDeps } from "../wiring";

/**
 * Tells the customer when an order's status changes, and hands the sync an order this write made
 * checkable (see sync/adoptions.ts). Retries are on, so a change whose records were never made (a
 * failure before the create-once transaction committed) is handled again; a replay finds the records
 * and stops. A message that was not sent stays PENDING on its record and the sweep sends it. An
 * event older than the retry window is dropped with an alert instead of being retried for days.
 */
export const onOrderUpdated = onDocumentUpdated(
  { document: "transactions/{transactionId}", secrets: [mnotifyApiKey], retry: true },
  async (event) => {
    if (!event.data) return;
    const settings = readSettings();
    const before = event.data.before.data();
    const after = event.data.after.data();
    const orderId = event.params.transactionId;
    if (!eventStillTimely(new Date(event.time), new Date(), settings.retryWindowMs)) {
      logStatusEventDropped(orderId, event.time);
      return;
    }
    await Promise.all([
      notifyStatusChange(notifyDeps(settings), { transactionId: orderId, before, after }),
      adoptIfUnreachable(adoptionDeps(settings), {
        orderId,
        before,
        after,
        writtenAt: new Date(event.time),
      }),
    ]);
  },
);
