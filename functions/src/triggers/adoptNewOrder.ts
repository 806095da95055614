import { onDocumentCreated } from "firebase-functions/v2/firestore";
import { db } from "../firestore";
import { readSettings } from "../settings";
import { adoptIfUnreachable } from "../sync/adoptions";

/** Hands the sync a new order its queries would not find soon (see sync/adoptions.ts). */
export const adoptNewOrder = onDocumentCreated(
  { document: "transactions/{transactionId}", retry: false },
  async (event) => {
    if (!event.data) return;
    await adoptIfUnreachable(db(), readSettings().sync.freshForMs, {
      orderId: event.params.transactionId,
      after: event.data.data(),
      writtenAt: new Date(event.time),
    });
  },
);
