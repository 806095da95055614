import type { DocumentReference, Firestore } from "firebase-admin/firestore";
import { assertEmulatorOnly } from "../../dev/emulators";
import { COLLECTIONS, db } from "../../src/firestore";

/** The emulator's Firestore; refuses anything else. */
export function testDb(): Firestore {
  assertEmulatorOnly();
  return db();
}

export async function clearFirestore(): Promise<void> {
  assertEmulatorOnly();
  const url = `http://${process.env.FIRESTORE_EMULATOR_HOST}/emulator/v1/projects/${process.env.GCLOUD_PROJECT}/databases/(default)/documents`;
  const response = await fetch(url, { method: "DELETE" });
  if (!response.ok) throw new Error(`Clearing the emulator failed: HTTP ${response.status}`);
}

let counter = 0;

/** An order as the existing DataSell app writes it (ISO-string times, Datamart's purchase answer). */
export function anOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  const purchaseId = (0x66a000000000000000000000n + BigInt(counter)).toString(16);
  return {
    userId: "user-1",
    network: "YELLO",
    packageName: "1GB",
    volume: "1",
    phoneNumber: "0241234567",
    amount: 6.5,
    status: "processing",
    reference: `DS-${counter}`,
    transactionId: `DS-${counter}`,
    datamartTransactionId: purchaseId,
    datamartResponse: {
      purchaseId,
      orderReference: `GN-${counter}`,
      transactionReference: `TRX-${counter}`,
      orderStatus: "pending",
    },
    datamartStatus: "pending",
    lastSyncedAt: null,
    timestamp: new Date().toISOString(),
    paymentMethod: "wallet",
    ...overrides,
  };
}

export async function seedOrder(
  id: string,
  overrides: Record<string, unknown> = {},
): Promise<DocumentReference> {
  const ref = testDb().collection(COLLECTIONS.transactions).doc(id);
  await ref.set(anOrder(overrides));
  return ref;
}
