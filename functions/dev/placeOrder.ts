import type { Firestore } from "firebase-admin/firestore";
import { demoOrder, type DemoOrder } from "./demoData";
import { db } from "../src/firestore";
import { assertEmulatorOnly } from "./emulators";
import { localHost, localUrl, runningStack } from "./localConfig";
import { COLLECTIONS } from "../src/contract";

/**
 * Places a demo order as the DataSell app would: tells the stand-in Datamart about the purchase
 * (it moves the order on by itself) and writes `transactions/{id}` with status processing.
 */
export async function placeDemoOrder(
  firestore: Firestore,
  datamartUrl: string,
  userId?: string,
): Promise<DemoOrder> {
  const order = demoOrder({ userId });
  const response = await fetch(`${datamartUrl}/_standin/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(order.datamart),
  });
  if (!response.ok)
    throw new Error(`The stand-in Datamart refused the order: HTTP ${response.status}`);
  await firestore.collection(COLLECTIONS.transactions).doc(order.id).set(order.data);
  return order;
}

/** `npm run place-order [userId]`, against a running `npm start`. */
async function main(): Promise<void> {
  // Always the running local stack's emulator, whatever else this shell points at.
  const stack = runningStack();
  process.env.FIRESTORE_EMULATOR_HOST = localHost(stack.ports.firestore);
  process.env.GCLOUD_PROJECT = stack.projectId;
  assertEmulatorOnly();
  const order = await placeDemoOrder(db(), localUrl(stack.ports.datamart), process.argv[2]);
  console.log(
    `Placed ${order.id} (${String(order.data.packageName)} ${String(order.data.network)} for ${String(order.data.userId)}), Datamart reference ${order.datamart?.orderReference}`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
