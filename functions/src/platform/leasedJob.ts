import type { Firestore } from "firebase-admin/firestore";
import { tryAcquireLease, type Lease } from "./lease";

/** A scheduled job's run: alone (it holds the job's lease) and within its time budget. */
export interface JobRun {
  /** Clock time (Date.now()) after which the run takes no new work. */
  deadline: number;
  /** The run that held the lease before and never released it (it crashed or timed out). */
  expiredHolder?: Lease["expiredHolder"];
}

/**
 * Runs `work` alone: it takes the job's lease for the budget plus a minute (a holder that crashes
 * never releases it, and it simply expires), and releases it however the work ends. Answers
 * `undefined`, at once, when another run holds it.
 */
export async function runLeasedJob<T>(
  db: Firestore,
  job: { lease: string; holder: string; budgetMs: number; now: () => Date },
  work: (run: JobRun) => Promise<T>,
): Promise<{ result: T } | undefined> {
  const lease = await tryAcquireLease(db, job.lease, job.holder, job.budgetMs + 60_000, job.now);
  if (!lease) return undefined;
  try {
    const deadline = Date.now() + job.budgetMs;
    return { result: await work({ deadline, expiredHolder: lease.expiredHolder }) };
  } finally {
    await lease.release();
  }
}
