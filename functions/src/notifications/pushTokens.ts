import { createHash } from "node:crypto";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { parseInput } from "../errors";
import { COLLECTIONS } from "../firestore";

const tokenSchema = z
  .string({ error: "token must be a string" })
  .trim()
  .min(20, "token is too short to be an FCM registration token")
  .max(4096, "token is too long")
  .regex(/^\S+$/, "token must not contain spaces");

const registerSchema = z.object({
  token: tokenSchema,
  platform: z.enum(["web", "android", "ios"]).default("web"),
});
const unregisterSchema = z.object({ token: tokenSchema });

/** A token's document id: tokens are long and may hold characters an id may not, so a hash. */
const tokenId = (token: string) => createHash("sha256").update(token).digest("hex");

const tokens = (db: Firestore, uid: string) =>
  db.collection(COLLECTIONS.users).doc(uid).collection(COLLECTIONS.pushTokens);

/** The signed-in customer's device: `users/{uid}/pushTokens/{hash}`, created or seen again. */
export async function registerPushToken(
  db: Firestore,
  uid: string,
  input: unknown,
): Promise<{ success: true; tokenId: string }> {
  const { token, platform } = parseInput(registerSchema, input);
  const id = tokenId(token);
  const ref = tokens(db, uid).doc(id);
  const now = Timestamp.now();
  await db.runTransaction(async (tx) => {
    const existing = await tx.get(ref);
    tx.set(
      ref,
      { token, platform, lastSeenAt: now, ...(existing.exists ? {} : { createdAt: now }) },
      { merge: true },
    );
  });
  return { success: true, tokenId: id };
}

/** Forgets one of the signed-in customer's devices (sign-out, notifications off). */
export async function unregisterPushToken(
  db: Firestore,
  uid: string,
  input: unknown,
): Promise<{ success: true }> {
  const { token } = parseInput(unregisterSchema, input);
  await tokens(db, uid).doc(tokenId(token)).delete();
  return { success: true };
}
