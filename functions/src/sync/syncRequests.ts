import { Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import { GrpcStatus, hasGrpcStatus } from "../firestore";
import { COLLECTIONS } from "../contract";

/*
 * An admin's "sync now" while a scheduled run holds the lease. The run stays alive for minutes
 * re-checking young orders, so the request is handed to it instead of being skipped: a
 * `syncRequests/{id}` document (waiting -> taken -> done) that the running run listens for; it wakes
 * from its pause between passes and makes a pass at once. The admin's side waits until the request
 * is taken, or runs a sync itself once the lease is free (the run ended before it saw the request).
 */

export type SyncRequestState = "waiting" | "taken" | "done";

export interface SyncRequest {
  uid: string;
  state: SyncRequestState;
  requestedAt: Timestamp;
  /** The run that took it, and when; the pass it made for it and what that pass checked. */
  runId?: string;
  takenAt?: Timestamp;
  doneAt?: Timestamp;
  checked?: number;
  updated?: number;
}

/** How often the admin's side looks whether its request was taken. */
const POLL_MS = 250;

/** Writes an admin's request for the running run. */
export async function fileSyncRequest(db: Firestore, uid: string): Promise<DocumentReference> {
  const ref = db.collection(COLLECTIONS.syncRequests).doc();
  await ref.create({
    uid,
    state: "waiting",
    requestedAt: Timestamp.now(),
  } satisfies SyncRequest);
  return ref;
}

/**
 * Waits until the running run takes the request (answering its run id), or until `leaseFree()`
 * says no run holds the lease any more or `timeoutMs` passed: then the request is withdrawn (unless
 * it was taken meanwhile) and undefined is answered, for the caller to run a sync itself.
 */
export async function awaitTaken(
  ref: DocumentReference,
  leaseFree: () => Promise<boolean>,
  timeoutMs: number,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const request = await ref.get();
    if (request.get("state") !== "waiting") return request.get("runId") as string;
    if (Date.now() >= deadline || (await leaseFree())) {
      try {
        await ref.delete({ lastUpdateTime: request.updateTime });
        return undefined;
      } catch (error) {
        // Taken between the read and the delete.
        if (!hasGrpcStatus(error, GrpcStatus.FAILED_PRECONDITION)) throw error;
        continue;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * The running run's side: listens for waiting requests, so that `pause` ends early when one arrives;
 * `take` marks them taken by this run and `complete` records what the pass made for them checked.
 */
export class SyncRequestListener {
  private waiting: DocumentReference[] = [];
  private wake: (() => void) | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: Firestore,
    private readonly runId: string,
  ) {
    this.unsubscribe = db
      .collection(COLLECTIONS.syncRequests)
      .where("state", "==", "waiting")
      .onSnapshot(
        (snapshot) => {
          this.waiting = snapshot.docs.map((doc) => doc.ref);
          if (this.waiting.length > 0) this.wake?.();
        },
        // A broken listener only loses the early wake: requests then wait for the lease to free.
        () => undefined,
      );
  }

  get pending(): boolean {
    return this.waiting.length > 0;
  }

  /** Sleeps until `until` (ms since the epoch) or until a request arrives. */
  pause(until: number): Promise<void> {
    if (this.pending) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, until - Date.now()));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => (this.wake = undefined));
  }

  /** Marks the waiting requests taken by this run; answers those it took. */
  async take(): Promise<DocumentReference[]> {
    const taken: DocumentReference[] = [];
    await Promise.all(
      this.waiting.map((ref) =>
        this.db
          .runTransaction(async (tx) => {
            const request = await tx.get(ref);
            if (request.get("state") !== "waiting") return;
            tx.update(ref, { state: "taken", runId: this.runId, takenAt: Timestamp.now() });
            taken.push(ref);
          })
          .catch(() => undefined),
      ),
    );
    this.waiting = [];
    return taken;
  }

  async complete(
    requests: DocumentReference[],
    pass: { checked: number; updated: number },
  ): Promise<void> {
    await Promise.all(
      requests.map((ref) => ref.update({ state: "done", doneAt: Timestamp.now(), ...pass })),
    );
  }

  close(): void {
    this.unsubscribe();
    this.wake?.();
  }
}
