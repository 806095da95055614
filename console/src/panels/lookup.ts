import {
  collection,
  doc,
  getDoc,
  getDocs,
  limit,
  query,
  where,
  type DocumentSnapshot,
} from "firebase/firestore";
import { COLLECTIONS } from "../../../functions/src/contract";
import { phoneSpellings } from "../../../functions/src/domain/phone";
import type { Backend } from "../firebase";
import { ghs, h, table, when } from "../ui";
import { detailsButton, orderDetails } from "./orderDetails";
import type { Order } from "../../../functions/src/domain/order";
import type { Panel } from "./panel";

/** The fields an order may be known by, besides its id. */
const LOOKUP_FIELDS = [
  "reference",
  "datamartResponse.orderReference",
  "datamartResponse.transactionReference",
  "datamartTransactionId",
];

/** A customer's latest orders, by any spelling of their phone number. */
async function byPhone(
  backend: Backend,
  spellings: string[],
): Promise<DocumentSnapshot[]> {
  const found = await getDocs(
    query(
      collection(backend.db, COLLECTIONS.transactions),
      where("phoneNumber", "in", spellings),
      limit(50),
    ),
  );
  return [...found.docs].sort((a, b) =>
    String(b.get("timestamp")).localeCompare(String(a.get("timestamp"))),
  );
}

async function find(
  backend: Backend,
  text: string,
): Promise<DocumentSnapshot | undefined> {
  const byId = await getDoc(doc(backend.db, COLLECTIONS.transactions, text));
  if (byId.exists()) return byId;
  for (const field of LOOKUP_FIELDS) {
    const found = await getDocs(
      query(
        collection(backend.db, COLLECTIONS.transactions),
        where(field, "==", text),
        limit(1),
      ),
    );
    if (!found.empty) return found.docs[0];
  }
  return undefined;
}

/**
 * Order lookup by DataSell id or reference, Datamart's reference or id, or the customer's phone
 * number (a list of their orders, each with its details on demand).
 */
export function lookupPanel(backend: Backend): Panel {
  const input = h("input", {
    id: "lookup-text",
    type: "search",
    required: true,
    autocomplete: "off",
  });
  const result = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { class: "lookup", role: "search" },
    h(
      "label",
      { for: "lookup-text" },
      "Phone number, DataSell id or reference, or Datamart reference (GN-…, TRX-…)",
    ),
    input,
    h("button", { type: "submit" }, "Look up"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || text.includes("/")) return;
    result.textContent = "Looking…";
    const spellings = phoneSpellings(text);
    const show = async (found: DocumentSnapshot) =>
      result.replaceChildren(
        await orderDetails(backend, found.id, (found.data() ?? {}) as Order),
      );
    void (
      spellings.length
        ? byPhone(backend, spellings).then((orders) => {
            const details = h("div", { "aria-live": "polite" });
            result.replaceChildren(
              h(
                "p",
                {},
                `${orders.length} order(s) for ${spellings[0]}, newest first.`,
              ),
              table(
                `Orders for ${spellings[0]}`,
                ["Order", "Status", "Placed", "Amount", "Act"],
                orders.map((o) => {
                  const open = detailsButton(
                    backend,
                    o.id,
                    (o.data() ?? {}) as Order,
                    details,
                    "Details",
                    `Show order ${o.id}`,
                  );
                  return [
                    o.id,
                    String(o.get("status")),
                    when(o.get("timestamp")),
                    ghs(Math.round(Number(o.get("amount")) * 100)),
                    open,
                  ];
                }),
              ),
              details,
            );
          })
        : find(backend, text).then((found) =>
            found
              ? show(found)
              : result.replaceChildren(
                  h("p", { class: "empty" }, `No order is known as ${text}.`),
                ),
          )
    ).catch(
      (error: unknown) => (result.textContent = `Failed: ${String(error)}`),
    );
  });
  const section = h(
    "section",
    { id: "lookup", class: "panel", "aria-labelledby": "lookup-title" },
    h("h2", { id: "lookup-title" }, "Order lookup"),
    form,
    result,
  );
  return { section, stop: () => undefined };
}
