import { Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS, type SyncRequestRecord } from "../contract";
import type { Clock } from "../platform/clock";

/*
 * An admin's "sync now" is a `syncRequests/{id}` document (waiting -> taken -> done), never a run in
 * the admin's own request (Hosting cuts a request at 60 s; a run may take minutes). A scheduled run
 * alive listens for requests: it wakes from its pause between passes and makes a pass at once. With
 * no run alive, the request's trigger starts one (sync/adminSync.ts). Every run takes the requests
 * waiting when it starts, so one nobody took in time is taken by the next run.
 */

type SyncRequest = SyncRequestRecord<Timestamp>;

/** How often the admin's side looks whether its request was taken. */
const POLL_MS = 250;

/** Writes an admin's request for the running run. */
export async function fileSyncRequest(
  db: Firestore,
  uid: string,
  clock: Clock,
): Promise<DocumentReference> {
  const ref = db.collection(COLLECTIONS.syncRequests).doc();
  await ref.create({
    uid,
    state: "waiting",
    requestedAt: Timestamp.fromMillis(clock.now()),
  } satisfies SyncRequest);
  return ref;
}

/**
 * Waits until a run takes the request, answering its run id; undefined after `timeoutMs`, when the
 * request stays waiting for the next run (it is never withdrawn, so never lost).
 */
export async function awaitTaken(
  ref: DocumentReference,
  timeoutMs: number,
  clock: Clock,
): Promise<string | undefined> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const request = await ref.get();
    if (request.get("state") !== "waiting") return request.get("runId") as string;
    if (clock.now() >= deadline) return undefined;
    await clock.sleep(POLL_MS);
  }
}

/**
 * Puts the requests a crashed run had taken back to waiting, for the run that found it crashed to
 * take at once: an admin's sync now is never lost with the run that took it.
 */
export async function requeueTakenBy(db: Firestore, crashedRunId: string): Promise<void> {
  const taken = await db
    .collection(COLLECTIONS.syncRequests)
    .where("runId", "==", crashedRunId)
    .where("state", "==", "taken")
    .get();
  await Promise.all(
    taken.docs.map((request) =>
      request.ref.update({
        state: "waiting",
        requeuedFrom: crashedRunId,
      } satisfies Partial<SyncRequest>),
    ),
  );
}

/** Marks these requests taken by the run, each in its own transaction; answers those it took. */
async function take(
  db: Firestore,
  runId: string,
  refs: readonly DocumentReference[],
  clock: Clock,
): Promise<DocumentReference[]> {
  const taken: DocumentReference[] = [];
  await Promise.all(
    refs.map((ref) =>
      db
        .runTransaction(async (tx) => {
          const request = await tx.get(ref);
          if (request.get("state") !== "waiting") return;
          tx.update(ref, { state: "taken", runId, takenAt: Timestamp.fromMillis(clock.now()) });
          taken.push(ref);
        })
        .catch(() => undefined),
    ),
  );
  return taken;
}

/** A run's start: it takes every request waiting for it (an admin's, or one no run took in time). */
export async function takeWaitingRequests(
  db: Firestore,
  runId: string,
  clock: Clock,
): Promise<DocumentReference[]> {
  const waiting = await db
    .collection(COLLECTIONS.syncRequests)
    .where("state", "==", "waiting")
    .limit(50)
    .get();
  return take(
    db,
    runId,
    waiting.docs.map((doc) => doc.ref),
    clock,
  );
}

/** Records on the requests a pass made for them what it checked and changed. */
export async function completeRequests(
  requests: readonly DocumentReference[],
  pass: { checked: number; updated: number },
  clock: Clock,
): Promise<void> {
  const doneAt = Timestamp.fromMillis(clock.now());
  await Promise.all(requests.map((ref) => ref.update({ state: "done", doneAt, ...pass })));
}

/**
 * A scheduled run's side while it lives: listens for waiting requests, so that `pause` ends early
 * when one arrives, and `take` marks them taken by this run.
 */
export class SyncRequestListener {
  private waiting: DocumentReference[] = [];
  /** Ends the pause in progress. */
  private wake: AbortController | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: Firestore,
    private readonly runId: string,
    private readonly clock: Clock,
  ) {
    this.unsubscribe = db
      .collection(COLLECTIONS.syncRequests)
      .where("state", "==", "waiting")
      .onSnapshot(
        (snapshot) => {
          this.waiting = snapshot.docs.map((doc) => doc.ref);
          if (this.waiting.length > 0) this.wake?.abort();
        },
        // A broken listener only loses the early wake: the next run takes the requests.
        () => undefined,
      );
  }

  get pending(): boolean {
    return this.waiting.length > 0;
  }

  /** Sleeps until `until` (ms since the epoch) or until a request arrives. */
  async pause(until: number): Promise<void> {
    if (this.pending) return;
    this.wake = new AbortController();
    await this.clock.sleep(Math.max(0, until - this.clock.now()), this.wake.signal);
    this.wake = undefined;
  }

  /** Marks the waiting requests taken by this run; answers those it took. */
  async take(): Promise<DocumentReference[]> {
    const taken = await take(this.db, this.runId, this.waiting, this.clock);
    this.waiting = [];
    return taken;
  }

  close(): void {
    this.unsubscribe();
    this.wake?.abort();
  }
}
