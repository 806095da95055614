/**
 * Expected failures, each with the code a client may see. Entry points map them to HttpsError codes
 * and HTTP statuses in one place; anything else reaches a client only as a generic internal error.
 */
import { z } from "zod";

export type AppErrorCode =
  | "invalid-argument"
  | "unauthenticated"
  | "permission-denied"
  | "not-found"
  | "failed-precondition"
  | "resource-exhausted";

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

/** Parses a client's input, or throws `invalid-argument` saying what is wrong. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new AppError("invalid-argument", parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

/** A Firestore document id as a client may send it: non-empty, bounded, no path separators. */
export const documentId = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, `${field} is required`)
    .max(1500, `${field} is too long`)
    .refine(
      (id) => !id.includes("/") && id !== "." && id !== ".." && !/^__.*__$/.test(id),
      `${field} is not a valid id`,
    );

/** An order's id as users send it: a document id, and no longer than DataSell's ever are. */
export const transactionIdSchema = documentId("transactionId").refine(
  (id) => id.length <= 128,
  "transactionId is too long",
);
