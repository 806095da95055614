import {
  collection,
  limit,
  onSnapshot,
  query,
  where,
} from "firebase/firestore";
import { actionButton, h, panel, table, when } from "../ui";
import type { PanelFactory } from "./panel";

/** A message still PENDING this long after it was made is shown as stuck. */
const LONG_PENDING_MS = 30 * 60_000;

/** Customer messages not sent: failed, unknown (with their evidence) or pending for long; "Resend". */
export const notificationsPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "notifications",
    "Messages not sent",
    "Failed, outcome unknown (it may have reached the customer), or pending for over 30 minutes.",
  );
  const stop = onSnapshot(
    query(
      collection(backend.db, "orderNotifications"),
      where("state", "in", ["FAILED", "UNKNOWN", "PENDING"]),
      limit(100),
    ),
    (snapshot) => {
      const now = Date.now();
      const shown = snapshot.docs.filter((d) => {
        const r = d.data();
        return (
          r.state !== "PENDING" ||
          now - (r.createdAt?.toMillis?.() ?? now) > LONG_PENDING_MS
        );
      });
      body.replaceChildren(
        table(
          "Messages not sent",
          ["Order", "Channel", "State", "To", "Since", "Evidence", "Act"],
          shown.map((d) => {
            const r = d.data();
            const out = h("span", { class: "result", role: "status" });
            const resend =
              r.state === "PENDING"
                ? "retried by the sweep"
                : actionButton("Resend", out, async () => {
                    const answer = await backend.call<{ state: string }>(
                      "adminResendNotification",
                      { notificationId: d.id },
                    );
                    return `Resent: ${answer.state}.`;
                  });
            if (typeof resend !== "string")
              resend.setAttribute(
                "aria-label",
                `Resend ${r.channel} message ${d.id}`,
              );
            return [
              r.transactionId,
              r.channel,
              r.state,
              r.recipientMasked,
              when(r.createdAt),
              r.reason ?? r.lastError?.message ?? "",
              h("div", { class: "row-actions" }, resend, out),
            ];
          }),
        ),
      );
    },
  );
  return { section, stop };
};
