import { initializeApp } from "firebase-admin/app";
import { getFirestore, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import { assertEmulatorOnly } from "../../dev/emulators";
import { appOrder } from "../../dev/orderFactory";
import { db } from "../../src/firestore";
import { COLLECTIONS } from "../../src/contract";

const otherProjects = new Map<string, Firestore>();

/**
 * The emulator's Firestore for the test project (the one the code under test uses), or for another
 * demo- project on the same emulator; refuses anything but an emulator.
 */
export function testDb(projectId?: string): Firestore {
  assertEmulatorOnly();
  if (!projectId || projectId === process.env.GCLOUD_PROJECT) return db();
  let firestore = otherProjects.get(projectId);
  if (!firestore) {
    firestore = getFirestore(initializeApp({ projectId }, projectId));
    otherProjects.set(projectId, firestore);
  }
  return firestore;
}

export async function clearFirestore(projectId = process.env.GCLOUD_PROJECT): Promise<void> {
  assertEmulatorOnly();
  const url = `http://${process.env.FIRESTORE_EMULATOR_HOST}/emulator/v1/projects/${projectId}/databases/(default)/documents`;
  const response = await fetch(url, { method: "DELETE" });
  if (!response.ok) throw new Error(`Clearing the emulator failed: HTTP ${response.status}`);
}

/**
 * Deletes every document one by one, as a client's delete would. A stack that serves a browser
 * empties itself this way: after clearFirestore had removed a document, a browser's listener that
 * then saw it missing did not hear of its creation (docs/testing.md).
 */
export async function deleteEveryDocument(projectId?: string): Promise<void> {
  const firestore = testDb(projectId);
  for (const collection of await firestore.listCollections())
    await firestore.recursiveDelete(collection);
}

/** applyStatus's options as deployed by default: wallet refunds on. */
export const REFUNDS_ON = { walletRefunds: true } as const;

/** An order as the existing DataSell app writes it (dev/orderFactory.ts), with `overrides` on top. */
export function anOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...appOrder({ amount: 6.5 }).data, ...overrides };
}

export async function storeOrder(
  id: string,
  overrides: Record<string, unknown> = {},
): Promise<DocumentReference> {
  const ref = testDb().collection(COLLECTIONS.transactions).doc(id);
  await ref.set(anOrder(overrides));
  return ref;
}

/** Every `dailyStats` document, without the day and network the id already names. */
export async function dailyFigures(): Promise<Record<string, Record<string, unknown>>> {
  const found = await testDb().collection(COLLECTIONS.dailyStats).get();
  return Object.fromEntries(
    found.docs.map((doc) => {
      const figures = doc.data();
      delete figures.day;
      delete figures.network;
      return [doc.id, figures];
    }),
  );
}
