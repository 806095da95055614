import { OVER_A_DAY_MINUTES } from "../../functions/src/domain/dailyStats";

/** A few DOM helpers: the console is small enough to need no framework. */

export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | ((event: Event) => void)> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === "function")
      element.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false) element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "object" ? child : String(child));
  }
  return element;
}

/** A panel: a titled, labelled region with a body the panel fills. */
export function panel(
  id: string,
  title: string,
  description: string,
): {
  section: HTMLElement;
  body: HTMLElement;
} {
  const body = h("div", { class: "panel-body" }, h("p", {}, "Loading…"));
  const section = h(
    "section",
    { id, class: "panel", "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    h("p", { class: "hint" }, description),
    body,
  );
  return { section, body };
}

/**
 * A table with a caption, header cells with scope, and one row per item (see tableRow); a sentence
 * saying so when there are none.
 */
export function table(
  caption: string,
  headers: string[],
  rows: Child[][],
): HTMLElement {
  if (rows.length === 0) return emptyTable(caption);
  const { element, tbody } = tableShell(caption, headers);
  tbody.append(...rows.map((cells) => tableRow(headers, cells)));
  return element;
}

/** What an empty table shows instead. */
export const emptyTable = (caption: string): HTMLElement =>
  h(
    "p",
    { class: "empty" },
    `Nothing here: ${caption.charAt(0).toLowerCase()}${caption.slice(1)}.`,
  );

/** A table's frame, caption and header, with the body its rows go in. */
export function tableShell(
  caption: string,
  headers: string[],
): { element: HTMLElement; tbody: HTMLTableSectionElement } {
  const tbody = h("tbody", {});
  const element = h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      h("caption", { class: "visually-hidden" }, caption),
      h(
        "thead",
        {},
        h("tr", {}, ...headers.map((text) => h("th", { scope: "col" }, text))),
      ),
      tbody,
    ),
  );
  return { element, tbody };
}

/**
 * One row. Each cell carries its column's name (`data-label`), and a cell holding a control is
 * marked `act`: on a phone the rows stack as cards, each fact under its label and the action first.
 */
export function tableRow(
  headers: string[],
  cells: Child[],
): HTMLTableRowElement {
  return h(
    "tr",
    {},
    ...cells.map((c, i) =>
      h(
        "td",
        {
          "data-label": headers[i] ?? "",
          class:
            c instanceof HTMLElement &&
            (c.matches("button, select, input") ||
              !!c.querySelector("button, select, input"))
              ? "act"
              : false,
        },
        c,
      ),
    ),
  );
}

/** Runs an action from a button: disabled while it runs, its answer or error shown in `out`. */
export function actionButton(
  label: string,
  out: HTMLElement,
  action: () => Promise<string>,
  ariaLabel?: string,
): HTMLButtonElement {
  const button = h(
    "button",
    { type: "button", ...(ariaLabel ? { "aria-label": ariaLabel } : {}) },
    label,
  );
  button.addEventListener("click", () => {
    button.disabled = true;
    out.classList.remove("error");
    out.textContent = "Working…";
    action()
      .then((text) => (out.textContent = text))
      .catch((error: unknown) => {
        out.textContent = `Failed: ${error instanceof Error ? error.message : String(error)}`;
        out.classList.add("error");
      })
      .finally(() => (button.disabled = false));
  });
  return button;
}

/** Where an action's answer is announced. */
export const statusLine = (tag: "span" | "p" = "span"): HTMLElement =>
  h(tag, { class: "result", role: "status" });

/** A table row's controls and the line their answers go to. */
export const rowActions = (...children: Child[]): HTMLElement =>
  h("div", { class: "row-actions" }, ...children);

/** A time, in Ghana's time, from an ISO string, epoch milliseconds, a Firestore Timestamp or a Date. */
export function when(value: unknown): string {
  const date =
    typeof value === "string" || typeof value === "number"
      ? new Date(value)
      : value && typeof value === "object" && "toDate" in value
        ? (value as { toDate(): Date }).toDate()
        : value instanceof Date
          ? value
          : undefined;
  if (!date || Number.isNaN(date.getTime())) return "—";
  return date.toLocaleString("en-GB", {
    timeZone: "Africa/Accra",
    dateStyle: "medium",
    timeStyle: "short",
  });
}

/** A delivery time read from the daily figures' buckets: an upper bound, in minutes. */
export const deliveryMinutes = (value: number | null): string =>
  value === null
    ? "—"
    : value >= OVER_A_DAY_MINUTES
      ? "over a day"
      : `≤ ${value} min`;

export const ghs = (pesewas: unknown): string =>
  typeof pesewas === "number" ? `GHS ${(pesewas / 100).toFixed(2)}` : "—";

export interface Confirmation {
  title: string;
  /** What will move, as label and value pairs. */
  facts: [string, string][];
  confirmLabel: string;
  /** A reason field: its label, and whether the action needs one. */
  reason?: { label: string; required: boolean };
}

/**
 * Asks before money or a message moves: a modal dialog with the facts, an optional reason, and
 * Cancel / confirm. Resolves with the reason ("" when none) or undefined when cancelled.
 */
export function confirmAction(ask: Confirmation): Promise<string | undefined> {
  const reason = ask.reason
    ? h("textarea", {
        id: "confirm-reason",
        rows: "3",
        ...(ask.reason.required ? { required: true, minlength: "10" } : {}),
      })
    : undefined;
  const dialog = h(
    "dialog",
    { class: "confirm", "aria-labelledby": "confirm-title" },
    h(
      "form",
      { method: "dialog" },
      h("h2", { id: "confirm-title" }, ask.title),
      h(
        "dl",
        {},
        ...ask.facts.flatMap(([label, value]) => [
          h("dt", {}, label),
          h("dd", {}, value),
        ]),
      ),
      reason && ask.reason
        ? h(
            "p",
            {},
            h("label", { for: "confirm-reason" }, ask.reason.label),
            reason,
          )
        : null,
      h(
        "p",
        { class: "row-actions" },
        h(
          "button",
          { type: "submit", value: "cancel", formnovalidate: true },
          "Cancel",
        ),
        h("button", { type: "submit", value: "confirm" }, ask.confirmLabel),
      ),
    ),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(
        dialog.returnValue === "confirm"
          ? (reason?.value.trim() ?? "")
          : undefined,
      );
    });
    dialog.showModal();
  });
}

/**
 * Receipts of what an admin's actions moved, newest first, kept on screen after the row they came
 * from has left its live table.
 */
export function receipts(label: string): {
  element: HTMLElement;
  add(text: string): void;
} {
  const list = h("ul", { class: "receipts", "aria-label": label, role: "log" });
  return {
    element: list,
    add: (text) => list.prepend(h("li", {}, `${when(new Date())}: ${text}`)),
  };
}

/**
 * A live query's error handler: the panel says it could not load and why, instead of "Loading…"
 * for ever (a lost connection, or rules that refuse this user).
 */
export function showListenerError(
  body: HTMLElement,
  what: string,
): (error: { code: string }) => void {
  return (error) =>
    body.replaceChildren(
      h(
        "p",
        { class: "error", role: "alert" },
        `Could not load ${what} (${error.code}). Reload the page to try again.`,
      ),
    );
}
