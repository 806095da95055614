import { AppError } from "../errors";
import type { Caller } from "../orders/orderStatusQuery";

/**
 * The caller from a verified Firebase ID token's claims. Admins carry the custom claim `admin: true`,
 * exactly `true` as in firestore.rules: `"false"`, `1` or `"true"` are not admins.
 */
export function callerFromToken(token: { uid: string; admin?: unknown } | undefined): Caller {
  if (!token?.uid) throw new AppError("unauthenticated", "Sign in first");
  return { uid: token.uid, admin: token.admin === true };
}
