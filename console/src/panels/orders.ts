import {
  collection,
  getDocs,
  limit,
  orderBy,
  query,
  where,
  type QueryConstraint,
} from "firebase/firestore";
import { COLLECTIONS } from "../../../functions/src/contract";
import { networkName } from "../../../functions/src/domain/networks";
import { ghs, h, panel, table, when } from "../ui";
import { detailsButton } from "./orderDetails";
import type { Order } from "../../../functions/src/domain/order";
import type { PanelFactory } from "./panel";

const STATUSES = ["processing", "delivered", "failed", "cancelled", "refunded"];
const NETWORKS = ["MTN", "Telecel", "AirtelTigo"];
/** Orders read for one view: the newest of the day (or of all days), filtered here. */
const READ_LIMIT = 200;

const select = (id: string, label: string, values: string[]) =>
  h(
    "label",
    { for: id },
    label,
    h(
      "select",
      { id },
      h("option", { value: "" }, "any"),
      ...values.map((v) => h("option", { value: v }, v)),
    ),
  );

/**
 * Recent orders, newest first, filtered by status, network and day (Ghana's day is UTC's). Reads
 * the newest orders of the day by `timestamp` (one ordered field: no composite index) and filters
 * status and network here; a legacy `success` counts as processing.
 */
export const ordersPanel: PanelFactory = (backend) => {
  const { section, body } = panel(
    "orders",
    "Recent orders",
    "The newest orders, by status, network and day. Details on demand.",
  );
  const form = h(
    "form",
    { class: "actions", "aria-label": "Filter orders" },
    select("orders-status", "Status ", STATUSES),
    select("orders-network", "Network ", NETWORKS),
    h(
      "label",
      { for: "orders-day" },
      "Day ",
      h("input", { id: "orders-day", type: "date" }),
    ),
    h("button", { type: "submit" }, "Show"),
  );
  const details = h("div", { "aria-live": "polite" });
  body.before(form);
  body.after(details);
  const value = (id: string) =>
    (form.querySelector(`#${id}`) as HTMLInputElement | HTMLSelectElement)
      .value;
  const show = async () => {
    const day = value("orders-day");
    const constraints: QueryConstraint[] = day
      ? [where("timestamp", ">=", day), where("timestamp", "<", `${day}\uffff`)]
      : [];
    const found = await getDocs(
      query(
        collection(backend.db, COLLECTIONS.transactions),
        ...constraints,
        orderBy("timestamp", "desc"),
        limit(READ_LIMIT),
      ),
    );
    const status = value("orders-status");
    const network = value("orders-network");
    const orders = found.docs.filter((d) => {
      const shown =
        d.get("status") === "success" ? "processing" : String(d.get("status"));
      return (
        (!status || shown === status) &&
        (!network ||
          networkName(d.get("network") as string | undefined) === network)
      );
    });
    body.replaceChildren(
      table(
        "Recent orders",
        ["Order", "Status", "Placed", "Network", "Amount", "Payment", "Act"],
        orders.map((d) => {
          const open = detailsButton(
            backend,
            d.id,
            d.data() as Order,
            details,
            "Details",
            `Show order ${d.id}`,
          );
          return [
            d.id,
            String(d.get("status")),
            when(d.get("timestamp")),
            networkName(d.get("network") as string | undefined) || "—",
            ghs(Math.round(Number(d.get("amount")) * 100)),
            String(d.get("paymentMethod") ?? "—"),
            open,
          ];
        }),
      ),
    );
  };
  const refresh = () => {
    body.replaceChildren(h("p", {}, "Loading…"));
    show().catch((error: unknown) =>
      body.replaceChildren(
        h(
          "p",
          { class: "error" },
          `Failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      ),
    );
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    refresh();
  });
  refresh();
  return { section, stop: () => undefined };
};
