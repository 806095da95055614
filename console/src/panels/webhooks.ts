import {
  collection,
  limit,
  onSnapshot,
  query,
  where,
} from "firebase/firestore";
import { panel, table, when } from "../ui";
import type { PanelFactory } from "./panel";

/** Datamart webhook events that matched no order here. */
export const webhooksPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "webhooks",
    "Webhook events with no order",
    "Signed Datamart events whose references match no order (kept for the retention period).",
  );
  const stop = onSnapshot(
    query(
      collection(backend.db, "datamartWebhookEvents"),
      where("outcome", "==", "unmatched"),
      limit(50),
    ),
    (snapshot) => {
      const events = snapshot.docs
        .map((d) => d.data())
        .sort(
          (a, b) =>
            (b.receivedAt?.toMillis?.() ?? 0) -
            (a.receivedAt?.toMillis?.() ?? 0),
        );
      body.replaceChildren(
        table(
          "Webhook events with no order",
          [
            "Received",
            "Event",
            "Status",
            "Order reference",
            "Transaction reference",
            "Datamart id",
          ],
          events.map((e) => [
            when(e.receivedAt),
            e.event,
            e.status,
            e.orderReference ?? "",
            e.transactionReference ?? "",
            e.orderId ?? "",
          ]),
        ),
      );
    },
  );
  return { section, stop };
};
