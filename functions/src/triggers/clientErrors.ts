import { HttpsError } from "firebase-functions/v2/https";
import { AppError, type AppErrorCode } from "../errors";
import { logUnexpectedError } from "../logs";

// The one place where errors become what a client may see: expected AppErrors keep their code and
// message; anything else is a bare `internal`, its details in the logs only.

export const HTTP_STATUS: Readonly<Record<AppErrorCode | "internal", number>> = {
  "invalid-argument": 400,
  unauthenticated: 401,
  "permission-denied": 403,
  "not-found": 404,
  "failed-precondition": 409,
  "resource-exhausted": 429,
  internal: 500,
};

/**
 * What a client may learn of an error: an expected AppError's code and message, or a bare
 * `internal` (the error and its stack go to the logs only).
 */
export function publicError(
  error: unknown,
  where: string,
): { code: AppErrorCode | "internal"; message: string; retryAfterSeconds?: number } {
  if (error instanceof AppError)
    return { code: error.code, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  logUnexpectedError(where, error);
  return { code: "internal", message: "Internal error" };
}

export function toHttpsError(error: unknown, where: string): HttpsError {
  const { code, message, retryAfterSeconds } = publicError(error, where);
  return new HttpsError(code, message, retryAfterSeconds ? { retryAfterSeconds } : undefined);
}
