import {
  onSnapshot,
  type Query,
  type QueryDocumentSnapshot,
} from "firebase/firestore";
import type { Backend } from "../firebase";
import {
  emptyTable,
  showListenerError,
  tableRow,
  tableShell,
  type Child,
} from "../ui";

/** What every panel module exports: a function building its section from the backend. */
export interface Panel {
  section: HTMLElement;
  /** Stops its Firestore listeners. */
  stop: () => void;
}

export type PanelFactory = (backend: Backend) => Panel;

/** A live table's row: the document it shows, and its cells. */
export interface LiveRow {
  doc: QueryDocumentSnapshot;
  cells: Child[];
}

/**
 * Keeps `body` showing what `source` answers as a table, live (a Firestore listener): `rows` turns
 * the documents into rows, in the order shown. A row whose document has not changed is kept as it
 * is on screen, not redrawn: a note half typed in it, its focus and the answer of an action taken
 * in it stay while other rows come, go or change. Returns how to stop listening.
 */
export function liveTable(
  body: HTMLElement,
  source: Query,
  caption: string,
  headers: string[],
  rows: (docs: QueryDocumentSnapshot[]) => LiveRow[],
): () => void {
  let shown = new Map<string, { data: string; tr: HTMLTableRowElement }>();
  let tbody: HTMLTableSectionElement | undefined;
  return onSnapshot(
    source,
    (snapshot) => {
      const next = new Map<string, { data: string; tr: HTMLTableRowElement }>();
      for (const { doc, cells } of rows(snapshot.docs)) {
        const data = JSON.stringify(doc.data());
        const kept = shown.get(doc.id);
        next.set(doc.id, {
          data,
          tr: kept?.data === data ? kept.tr : tableRow(headers, cells),
        });
      }
      shown = next;
      if (next.size === 0) {
        tbody = undefined;
        body.replaceChildren(emptyTable(caption));
        return;
      }
      if (!tbody?.isConnected) {
        const shell = tableShell(caption, headers);
        tbody = shell.tbody;
        body.replaceChildren(shell.element);
      }
      placeRows(
        tbody,
        [...next.values()].map(({ tr }) => tr),
      );
    },
    showListenerError(body, caption.toLowerCase()),
  );
}

/** Puts `rows` in `tbody` in order, moving only what moved (a moved row loses its focus). */
function placeRows(
  tbody: HTMLTableSectionElement,
  rows: HTMLTableRowElement[],
): void {
  rows.forEach((tr, i) => {
    const there = tbody.children[i];
    if (there !== tr) tbody.insertBefore(tr, there ?? null);
  });
  while (tbody.children.length > rows.length) tbody.lastElementChild?.remove();
}
