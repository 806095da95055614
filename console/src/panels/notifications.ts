import {
  collection,
  limit,
  query,
  where,
  type Timestamp,
} from "firebase/firestore";
import {
  COLLECTIONS,
  type NotificationRecord,
} from "../../../functions/src/contract";
import {
  actionButton,
  confirmAction,
  panel,
  receipts,
  rowActions,
  statusLine,
  when,
} from "../ui";
import { liveTable, type PanelFactory } from "./panel";

/** A message still PENDING this long after it was made is shown as stuck. */
const LONG_PENDING_MS = 30 * 60_000;

/** Customer messages not sent: failed, unknown (with their evidence) or pending for long; "Resend". */
export const notificationsPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "notifications",
    "Messages not sent",
    "Failed, outcome unknown (it may have reached the customer), or pending for over 30 minutes.",
  );
  const done = receipts("Messages resent");
  body.before(done.element);
  const stop = liveTable(
    body,
    query(
      collection(backend.db, COLLECTIONS.orderNotifications),
      where("state", "in", ["FAILED", "UNKNOWN", "PENDING"]),
      limit(100),
    ),
    "Messages not sent",
    ["Order", "Channel", "State", "To", "Since", "Evidence", "Act"],
    (docs) => {
      const now = Date.now();
      return docs
        .filter((d) => {
          const r = d.data() as NotificationRecord<Timestamp>;
          return (
            r.state !== "PENDING" ||
            now - (r.createdAt?.toMillis?.() ?? now) > LONG_PENDING_MS
          );
        })
        .map((d) => {
          const r = d.data() as NotificationRecord<Timestamp>;
          const out = statusLine();
          const resend =
            r.state === "PENDING"
              ? "retried by the sweep"
              : actionButton(
                  "Resend",
                  out,
                  async () => {
                    const confirmed = await confirmAction({
                      title: `Send this ${String(r.channel)} message again?`,
                      facts: [
                        ["Order", String(r.transactionId)],
                        ["To", String(r.recipientMasked ?? "—")],
                        [
                          "Now",
                          r.state === "UNKNOWN"
                            ? "UNKNOWN: it may already have reached the customer"
                            : String(r.state),
                        ],
                      ],
                      confirmLabel: "Resend",
                    });
                    if (confirmed === undefined)
                      return "Cancelled: nothing sent.";
                    const answer = await backend.call(
                      "adminResendNotification",
                      { notificationId: d.id },
                    );
                    const receipt = `${String(r.channel)} message for order ${String(r.transactionId)} to ${String(r.recipientMasked ?? "—")}: ${answer.state}.`;
                    done.add(receipt);
                    return receipt;
                  },
                  `Resend ${r.channel} message ${d.id}`,
                );
          const cells = [
            r.transactionId,
            r.channel,
            r.state,
            r.recipientMasked,
            when(r.createdAt),
            r.reason ?? r.lastError?.message ?? "",
            rowActions(resend, out),
          ];
          return { doc: d, cells };
        });
    },
  );
  return { section, stop };
};
