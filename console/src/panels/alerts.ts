import { collection, limit, orderBy, query } from "firebase/firestore";
import { COLLECTIONS } from "../../../functions/src/contract";
import type { AlertState } from "../../../functions/src/domain/alerts";
import {
  actionButton,
  panel,
  receipts,
  rowActions,
  statusLine,
  when,
} from "../ui";
import { liveTable, type PanelFactory } from "./panel";

/** `alerts/{id}`: the state the alert check keeps, and who acknowledged it. */
type AlertRecord = AlertState & {
  acknowledgedBy?: string;
  acknowledgedAt?: unknown;
};

/**
 * Operators' alerts (functions/src/domain/alerts.ts): active ones first, each with whether its
 * message went out (or was held back by the throttle) and who acknowledged it; "Acknowledge".
 */
export const alertsPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "alerts",
    "Alerts",
    "What was sent to ALERT_SMS_TO and ALERT_EMAIL_TO when it started and when it cleared, checked every 5 minutes.",
  );
  const done = receipts("Alerts acknowledged");
  body.before(done.element);
  const stop = liveTable(
    body,
    query(
      collection(backend.db, COLLECTIONS.alerts),
      orderBy("updatedAt", "desc"),
      limit(50),
    ),
    "Alerts",
    ["Alert", "State", "Since", "Told", "Acknowledged", "Act"],
    (docs) =>
      docs
        .map((doc) => ({ doc, a: doc.data() as AlertRecord }))
        .sort((x, y) => Number(y.a.active === true) - Number(x.a.active))
        .map(({ doc, a }) => {
          const out = statusLine();
          const acknowledge =
            a.active && !a.acknowledgedBy
              ? actionButton(
                  "Acknowledge",
                  out,
                  async () => {
                    await backend.call("adminAcknowledgeAlert", {
                      alertId: a.id,
                    });
                    const receipt = `${String(a.text)}: acknowledged.`;
                    done.add(receipt);
                    return receipt;
                  },
                  `Acknowledge alert ${a.id}`,
                )
              : "";
          const cells = [
            a.text,
            a.active ? "active" : `cleared ${when(a.clearedAtMs)}`,
            when(a.startedAtMs),
            a.toldStart ? "yes" : "no (throttled)",
            a.acknowledgedBy
              ? `${String(a.acknowledgedBy)}, ${when(a.acknowledgedAt)}`
              : "",
            rowActions(acknowledge, out),
          ];
          return { doc, cells };
        }),
  );
  return { section, stop };
};
