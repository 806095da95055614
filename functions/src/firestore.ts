import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";

/** Collection names, in one place. Everything but `transactions` is written by this system only. */
export const COLLECTIONS = {
  transactions: "transactions",
  statusHistory: "statusHistory", // subcollection of transactions/{id}
  syncRuns: "syncRuns",
  leases: "leases",
  syncState: "syncState",
  notifications: "orderNotifications",
  users: "users",
  inAppNotifications: "notifications", // subcollection of users/{uid}
} as const;

let firestore: Firestore | undefined;

/** The default app's Firestore, created on first use with `undefined` fields ignored. */
export function db(): Firestore {
  if (!firestore) {
    if (!getApps().some((app) => app.name === "[DEFAULT]")) initializeApp();
    firestore = getFirestore();
    firestore.settings({ ignoreUndefinedProperties: true });
  }
  return firestore;
}
