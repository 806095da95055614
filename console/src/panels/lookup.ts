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
import type { Backend } from "../firebase";
import { h } from "../ui";
import { orderDetails } from "./orderDetails";
import type { Panel } from "./panel";

/** The fields an order may be known by, besides its id. */
const LOOKUP_FIELDS = [
  "reference",
  "datamartResponse.orderReference",
  "datamartResponse.transactionReference",
  "datamartTransactionId",
];

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

/** Order lookup by DataSell id or reference, or Datamart's reference or id. */
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
      "DataSell id or reference, or Datamart reference (GN-…, TRX-…)",
    ),
    input,
    h("button", { type: "submit" }, "Look up"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || text.includes("/")) return;
    result.textContent = "Looking…";
    void find(backend, text)
      .then(async (found) =>
        result.replaceChildren(
          found
            ? await orderDetails(backend, found.id, found.data() ?? {})
            : h("p", { class: "empty" }, `No order is known as ${text}.`),
        ),
      )
      .catch(
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
