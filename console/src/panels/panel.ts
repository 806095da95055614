import type { Backend } from "../firebase";

/** What every panel module exports: a function building its section from the backend. */
export interface Panel {
  section: HTMLElement;
  /** Stops its Firestore listeners. */
  stop: () => void;
}

export type PanelFactory = (backend: Backend) => Panel;
