import {
  onSnapshot,
  type Query,
  type QueryDocumentSnapshot,
} from "firebase/firestore";
import type { Backend } from "../firebase";
import { showListenerError, table, type Child } from "../ui";

/** What every panel module exports: a function building its section from the backend. */
export interface Panel {
  section: HTMLElement;
  /** Stops its Firestore listeners. */
  stop: () => void;
}

export type PanelFactory = (backend: Backend) => Panel;

/**
 * Keeps `body` showing what `source` answers as a table, live (a Firestore listener): `rows` turns
 * the documents into rows. Returns how to stop listening.
 */
export function liveTable(
  body: HTMLElement,
  source: Query,
  caption: string,
  headers: string[],
  rows: (docs: QueryDocumentSnapshot[]) => Child[][],
): () => void {
  return onSnapshot(
    source,
    (snapshot) =>
      body.replaceChildren(table(caption, headers, rows(snapshot.docs))),
    showListenerError(body, caption.toLowerCase()),
  );
}
