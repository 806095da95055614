import type { StoreDeps } from "../firestore";
import { createHash } from "node:crypto";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { devicesToDrop } from "../domain/pushDevices";
import { parseInput } from "../errors";
import { COLLECTIONS } from "../contract";

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

/**
 * The signed-in customer's device: `users/{uid}/pushTokens/{hash}`, created or seen again. A token
 * belongs to one customer, the latest who registered it (a phone handed on, or signed into another
 * account): in the same transaction it leaves every other customer, and the customer's oldest
 * devices beyond MAX_DEVICES_PER_CUSTOMER are forgotten.
 */
export async function registerPushToken(
  { db }: StoreDeps,
  uid: string,
  input: unknown,
  now = new Date(),
): Promise<{ success: true; tokenId: string }> {
  const { token, platform } = parseInput(registerSchema, input);
  const id = tokenId(token);
  const mine = tokens(db, uid);
  const at = Timestamp.fromDate(now);
  await db.runTransaction(async (tx) => {
    const [holders, devices] = await Promise.all([
      tx.get(db.collectionGroup(COLLECTIONS.pushTokens).where("token", "==", token)),
      tx.get(mine),
    ]);
    for (const holder of holders.docs)
      if (holder.ref.parent.parent?.id !== uid) tx.delete(holder.ref);
    const existing = devices.docs.find((device) => device.id === id);
    const seen = devices.docs.map((device) => ({
      id: device.id,
      lastSeenMs: (device.get("lastSeenAt") as Timestamp | undefined)?.toMillis?.(),
    }));
    for (const drop of devicesToDrop(seen, id)) tx.delete(mine.doc(drop));
    tx.set(mine.doc(id), {
      token,
      platform,
      lastSeenAt: at,
      createdAt: (existing?.get("createdAt") as Timestamp | undefined) ?? at,
    });
  });
  return { success: true, tokenId: id };
}

/** Forgets one of the signed-in customer's devices (sign-out, notifications off). */
export async function unregisterPushToken(
  { db }: StoreDeps,
  uid: string,
  input: unknown,
): Promise<{ success: true }> {
  const { token } = parseInput(unregisterSchema, input);
  await tokens(db, uid).doc(tokenId(token)).delete();
  return { success: true };
}
