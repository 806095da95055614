import { getApps, initializeApp, type App } from "firebase-admin/app";
import {
  getFirestore,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
} from "firebase-admin/firestore";

let firestore: Firestore | undefined;

/**
 * The default firebase-admin app, initialised on first use. (firebase-functions may have created a
 * named app of its own already, so "any app exists" is not the test.)
 */
export function defaultApp(): App {
  return getApps().find((app) => app.name === "[DEFAULT]") ?? initializeApp();
}

/** The dependencies of a use case that needs only the store. */
export interface StoreDeps {
  db: Firestore;
}

/** The default app's Firestore, created on first use with `undefined` fields ignored. */
export function db(): Firestore {
  if (!firestore) {
    firestore = getFirestore(defaultApp());
    firestore.settings({ ignoreUndefinedProperties: true });
  }
  return firestore;
}

/** The default store, for the use cases that need only it. */
export const storeDeps = (): StoreDeps => ({ db: db() });

/** The gRPC status codes Firestore errors carry in `code`, by name. */
export const GrpcStatus = {
  CANCELLED: 1,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNAVAILABLE: 14,
} as const;

export const hasGrpcStatus = (error: unknown, status: number): boolean =>
  (error as { code?: unknown } | undefined)?.code === status;

/** True when a conditional write lost because the document changed since it was read. */
export const isPreconditionFailure = (error: unknown): boolean =>
  hasGrpcStatus(error, GrpcStatus.FAILED_PRECONDITION);

/**
 * Awaits a write conditional on what was read (or on the document existing); if the document moved
 * or vanished meanwhile, the write is dropped: whoever changed it decided.
 */
export async function ignoreIfMoved(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isPreconditionFailure(error) && !hasGrpcStatus(error, GrpcStatus.NOT_FOUND)) throw error;
  }
}

/** Firestore's most values in one `in` filter. */
const IN_QUERY_LIMIT = 30;

/** The documents of `query` whose `field` is one of `values`: `in` queries of 30, run together. */
export async function docsWhereIn(
  query: Query,
  field: string,
  values: readonly string[],
): Promise<QueryDocumentSnapshot[]> {
  const chunks = Array.from({ length: Math.ceil(values.length / IN_QUERY_LIMIT) }, (_, i) =>
    values.slice(i * IN_QUERY_LIMIT, (i + 1) * IN_QUERY_LIMIT),
  );
  const snapshots = await Promise.all(chunks.map((chunk) => query.where(field, "in", chunk).get()));
  return snapshots.flatMap((snapshot) => snapshot.docs);
}
