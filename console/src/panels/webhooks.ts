import {
  collection,
  limit,
  query,
  where,
  type Timestamp,
} from "firebase/firestore";
import {
  COLLECTIONS,
  type WebhookEventRecord,
} from "../../../functions/src/contract";
import { panel, when } from "../ui";
import { liveTable, type PanelFactory } from "./panel";

/** Datamart webhook events that matched no order here. */
export const webhooksPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "webhooks",
    "Webhook events with no order",
    "Signed Datamart events whose references match no order (kept for the retention period).",
  );
  const stop = liveTable(
    body,
    query(
      collection(backend.db, COLLECTIONS.webhookEvents),
      where("outcome", "==", "unmatched"),
      limit(50),
    ),
    "Webhook events with no order",
    [
      "Received",
      "Event",
      "Status",
      "Order reference",
      "Transaction reference",
      "Datamart id",
    ],
    (docs) =>
      docs
        .map((doc) => ({
          doc,
          e: doc.data() as WebhookEventRecord<Timestamp>,
        }))
        .sort((x, y) => y.e.receivedAt.toMillis() - x.e.receivedAt.toMillis())
        .map(({ doc, e }) => ({
          doc,
          cells: [
            when(e.receivedAt),
            e.event,
            e.status,
            e.orderReference ?? "",
            e.transactionReference ?? "",
            e.orderId ?? "",
          ],
        })),
  );
  return { section, stop };
};
