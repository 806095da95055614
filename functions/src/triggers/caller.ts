import { getAuth } from "firebase-admin/auth";
import { AppError } from "../errors";
import { defaultApp } from "../firestore";
import type { Caller } from "../domain/caller";

/** The claims of a verified Firebase ID token this code reads. */
export interface TokenClaims {
  uid: string;
  admin?: unknown;
  /** When the user signed in (seconds since the epoch), as every Firebase ID token says. */
  auth_time?: unknown;
}

/**
 * The caller from a verified Firebase ID token's claims. Admins carry the custom claim `admin: true`,
 * exactly `true` as in firestore.rules: `"false"`, `1` or `"true"` are not admins.
 */
export function callerFromToken(token: TokenClaims | undefined): Caller {
  if (!token?.uid) throw new AppError("unauthenticated", "Sign in first");
  return { uid: token.uid, admin: token.admin === true };
}

/** What the caller check needs of an account. */
export interface AccountState {
  disabled: boolean;
  /** Tokens issued before this time (UTC string) are revoked. */
  tokensValidAfterTime?: string;
}

/** The account in Firebase Auth; undefined when it no longer exists. */
async function authAccount(uid: string): Promise<AccountState | undefined> {
  return getAuth(defaultApp())
    .getUser(uid)
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === "auth/user-not-found") return undefined;
      throw error;
    });
}

/**
 * The caller, and for an admin, proof that the account is still live: an ID token stays valid for
 * up to an hour after its account is disabled or its sessions revoked, which must not leave an
 * admin's refunds and resends open. One Auth lookup per admin request; customers need none.
 */
export async function currentCaller(
  token: TokenClaims | undefined,
  account: (uid: string) => Promise<AccountState | undefined> = authAccount,
): Promise<Caller> {
  const caller = callerFromToken(token);
  if (!caller.admin) return caller;
  const user = await account(caller.uid);
  if (!user) throw new AppError("unauthenticated", "This account no longer exists");
  if (user.disabled) throw new AppError("unauthenticated", "This account is disabled");
  const signedIn = typeof token?.auth_time === "number" ? token.auth_time * 1000 : undefined;
  const validAfter = user.tokensValidAfterTime ? Date.parse(user.tokensValidAfterTime) : 0;
  if (signedIn === undefined || signedIn < validAfter)
    throw new AppError("unauthenticated", "This session was revoked: sign in again");
  return caller;
}

/** Admin-only operations refuse everyone else first, with what they would have done. */
export function requireAdmin(caller: Caller, action: string): void {
  if (!caller.admin) throw new AppError("permission-denied", `Only admins can ${action}`);
}
