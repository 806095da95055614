import { onDocumentCreated } from "firebase-functions/v2/firestore";
import { adoptIfUnreachable } from "../sync/adoptions";
import { adoptionDeps } from "../wiring";

/** Hands the sync a new order its queries would not find soon (see sync/adoptions.ts). */
export const adoptNewOrder = onDocumentCreated(
  { document: "transactions/{transactionId}", retry: false },
  async (event) => {
    if (!event.data) return;
    await adoptIfUnreachable(adoptionDeps(), {
      orderId: event.params.transactionId,
      after: event.data.data(),
      writtenAt: new Date(event.time),
    });
  },
);
