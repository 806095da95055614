import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { GrpcStatus, hasGrpcStatus } from "../firestore";
import { COLLECTIONS } from "../contract";
import type { Clock } from "./clock";

export interface Lease {
  release(): Promise<void>;
  /** The holder whose lease had expired when this one was taken (it crashed or timed out). */
  expiredHolder?: { holder: string; expiresAt: Timestamp };
}

/**
 * Takes the named lease for `ttlMs` unless another holder's lease is still live. A holder that
 * crashes never releases it; the lease then simply expires.
 */
export async function tryAcquireLease(
  db: Firestore,
  name: string,
  holder: string,
  ttlMs: number,
  clock: Clock,
): Promise<Lease | undefined> {
  const ref = db.collection(COLLECTIONS.leases).doc(name);
  const lease = () => ({
    holder,
    acquiredAt: Timestamp.fromMillis(clock.now()),
    expiresAt: Timestamp.fromMillis(clock.now() + ttlMs),
  });
  let acquired: boolean;
  let expiredHolder: Lease["expiredHolder"];
  try {
    // Create-once: of two runs starting together, exactly one creates it and the other knows at once.
    await ref.create(lease());
    acquired = true;
  } catch (error) {
    if (!hasGrpcStatus(error, GrpcStatus.ALREADY_EXISTS)) throw error;
    acquired = await db.runTransaction(async (tx) => {
      const current = await tx.get(ref);
      const expiresAt = current.get("expiresAt") as Timestamp | undefined;
      if (current.exists && expiresAt && expiresAt.toMillis() > clock.now()) return false;
      const previous = current.get("holder") as unknown;
      expiredHolder =
        typeof previous === "string" && expiresAt ? { holder: previous, expiresAt } : undefined;
      tx.set(ref, lease());
      return true;
    });
  }
  if (!acquired) return undefined;
  return {
    ...(expiredHolder ? { expiredHolder } : {}),
    release: () =>
      db.runTransaction(async (tx) => {
        const current = await tx.get(ref);
        if (current.get("holder") === holder) tx.delete(ref);
      }),
  };
}

/** The holder of the named lease while it is live; undefined when nobody holds it. */
export async function liveLeaseHolder(
  db: Firestore,
  name: string,
  clock: Clock,
): Promise<string | undefined> {
  const lease = await db.collection(COLLECTIONS.leases).doc(name).get();
  const expiresAt = lease.get("expiresAt") as Timestamp | undefined;
  return expiresAt && expiresAt.toMillis() > clock.now()
    ? (lease.get("holder") as string)
    : undefined;
}
