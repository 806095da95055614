import { Query, WriteBatch } from "firebase-admin/firestore";
import { COLLECTIONS } from "../src/contract";

/**
 * Counts Firestore document reads and writes the way Firestore bills them, by wrapping the SDK's
 * own entry points once: every query (its documents, at least one), every document fetch (single,
 * batched, in transactions), every aggregation (one per started 1,000 index entries), every write
 * in a batch or transaction (which is also how single-document writes are sent).
 */
export const firestoreCounts = { reads: 0, writes: 0, orderWritesWithoutStatus: 0 };

export function resetFirestoreCounts(): void {
  firestoreCounts.reads = 0;
  firestoreCounts.writes = 0;
  firestoreCounts.orderWritesWithoutStatus = 0;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

function wrap(prototype: object, name: string, count: (result: unknown) => void): void {
  const original = (prototype as Record<string, Method>)[name];
  (prototype as Record<string, Method>)[name] = function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    if (result instanceof Promise) {
      return result.then((value: unknown) => {
        count(value);
        return value;
      });
    }
    count(result);
    return result;
  };
}

// DocumentReader (DocumentReference.get, getAll, transactional reads) and AggregateQuery (count())
// are @google-cloud/firestore's own classes; firebase-admin does not export them.
interface Internal {
  prototype: object;
}
/* eslint-disable @typescript-eslint/no-require-imports */
const { DocumentReader } = require("@google-cloud/firestore/build/src/document-reader") as {
  DocumentReader: Internal;
};
const { AggregateQuery } =
  require("@google-cloud/firestore/build/src/reference/aggregate-query") as {
    AggregateQuery: Internal;
  };
/* eslint-enable @typescript-eslint/no-require-imports */

wrap(Query.prototype, "_get", (value) => {
  firestoreCounts.reads += Math.max(1, (value as { result: { size: number } }).result.size);
});
wrap(DocumentReader.prototype, "_get", (value) => {
  firestoreCounts.reads += (value as { result: unknown[] }).result.length;
});
wrap(AggregateQuery.prototype, "_get", (value) => {
  const count = Number(
    (value as { result: { data(): { count?: number } } }).result.data().count ?? 0,
  );
  firestoreCounts.reads += Math.max(1, Math.ceil(count / 1000));
});
for (const name of ["set", "update", "create", "delete"]) {
  const original = (WriteBatch.prototype as unknown as Record<string, Method>)[name];
  (WriteBatch.prototype as unknown as Record<string, Method>)[name] = function (
    this: unknown,
    ...args: unknown[]
  ) {
    firestoreCounts.writes += 1;
    // A write to an order that sets no status still wakes the order triggers: bookkeeping's cost.
    const [ref, data] = args as [{ parent: { path: string } }, unknown];
    const setsStatus = typeof data === "object" && data !== null && "status" in data;
    if (ref.parent.path === COLLECTIONS.transactions && name !== "delete" && !setsStatus)
      firestoreCounts.orderWritesWithoutStatus += 1;
    return original.apply(this, args);
  };
}
