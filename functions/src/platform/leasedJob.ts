import type { Firestore } from "firebase-admin/firestore";
import type { Clock } from "./clock";
import { tryAcquireLease, type Lease } from "./lease";
import { COLLECTIONS } from "../contract";

/** A scheduled job's run: alone (it holds the job's lease) and within its time budget. */
export interface JobRun<State> {
  /** The job clock's time after which the run takes no new work. */
  deadline: number;
  /** The run that held the lease before and never released it (it crashed or timed out). */
  expiredHolder?: Lease["expiredHolder"];
  /** What the job's last run left for this one (`syncState/{lease}`); empty the first time. */
  saved(): Promise<Partial<State>>;
}

/** What a run answers, and what it leaves for the next run (absent: it leaves what it found). */
export interface JobOutcome<State, T> {
  result: T;
  save?: State;
}

/**
 * Runs `work` alone: it takes the job's lease for the budget plus a minute (a holder that crashes
 * never releases it, and it simply expires), and releases it however the work ends. What the run
 * saves is written whole, never merged, so what it let go stays gone. Answers `undefined`, at once,
 * when another run holds the lease.
 */
export async function runLeasedJob<State extends object, T>(
  db: Firestore,
  job: { lease: string; holder: string; budgetMs: number; clock: Clock },
  work: (run: JobRun<State>) => Promise<JobOutcome<State, T>>,
): Promise<{ result: T } | undefined> {
  const lease = await tryAcquireLease(db, job.lease, job.holder, job.budgetMs + 60_000, job.clock);
  if (!lease) return undefined;
  const stateRef = db.collection(COLLECTIONS.syncState).doc(job.lease);
  try {
    const deadline = job.clock.now() + job.budgetMs;
    const saved = async () => ((await stateRef.get()).data() ?? {}) as Partial<State>;
    const { result, save } = await work({ deadline, expiredHolder: lease.expiredHolder, saved });
    if (save) await stateRef.set(save);
    return { result };
  } finally {
    await lease.release();
  }
}
