/**
 * Expected failures, each with the code a client may see. Entry points map them to HttpsError codes
 * and HTTP statuses in one place; anything else reaches a client only as a generic internal error.
 */
export type AppErrorCode =
  "invalid-argument" | "unauthenticated" | "permission-denied" | "not-found" | "resource-exhausted";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** Seconds a rate-limited caller should wait. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}
