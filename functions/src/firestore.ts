import { getApps, initializeApp, type App } from "firebase-admin/app";
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
  rateLimits: "rateLimits",
} as const;

let firestore: Firestore | undefined;

/**
 * The default firebase-admin app, initialised on first use. (firebase-functions may have created a
 * named app of its own already, so "any app exists" is not the test.)
 */
export function defaultApp(): App {
  return getApps().find((app) => app.name === "[DEFAULT]") ?? initializeApp();
}

/** The default app's Firestore, created on first use with `undefined` fields ignored. */
export function db(): Firestore {
  if (!firestore) {
    firestore = getFirestore(defaultApp());
    firestore.settings({ ignoreUndefinedProperties: true });
  }
  return firestore;
}
