import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { appOrder } from "../dev/orderFactory";
import type { DatamartStandIn } from "../dev/standins/datamartStandIn";
import { COLLECTIONS } from "../src/contract";

const FINALS = ["delivered", "failed", "cancelled", "refunded"];

/** `total` orders, `due` of them open with a Datamart reference; a third of those have moved on. */
export async function seed(
  firestore: Firestore,
  datamart: DatamartStandIn,
  total: number,
  due: number,
): Promise<void> {
  datamart.reset();
  await writeOrders(firestore, datamart, total, due);
  await steadyState(firestore);
}

/** The engine's state as in steady service: the sweep's lap begun one 5-minute run ago. */
async function steadyState(firestore: Firestore): Promise<void> {
  await firestore
    .collection(COLLECTIONS.syncState)
    .doc("datamartSync")
    .set({ sweep: { cursor: null, lapStartedAt: Timestamp.fromMillis(Date.now() - 5 * 60_000) } });
}

/** Writes orders o0..o{count-1} in batches of 400, four batches at a time (the emulator's pace). */
async function writeOrders(
  firestore: Firestore,
  datamart: DatamartStandIn,
  count: number,
  due: number,
): Promise<void> {
  const placedAt = Date.now() - 30 * 60_000;
  const starts = Array.from({ length: Math.ceil(count / 400) }, (_, i) => i * 400);
  for (let i = 0; i < starts.length; i += 4) {
    await Promise.all(
      starts.slice(i, i + 4).map((start) => {
        const batch = firestore.batch();
        for (let n = start; n < Math.min(start + 400, count); n++) {
          batch.set(
            firestore.collection(COLLECTIONS.transactions).doc(`o${n}`),
            order(n, due, placedAt, datamart),
          );
        }
        return batch.commit();
      }),
    );
  }
}

function order(
  i: number,
  due: number,
  placedAt: number,
  datamart: DatamartStandIn,
): Record<string, unknown> {
  const open = i < due;
  const { data, datamart: known } = appOrder({
    id: `o${i}`,
    key: `B${i}`,
    userId: `user-${i % 500}`,
    amount: 6.5,
    status: open ? "processing" : FINALS[i % FINALS.length],
    datamartStatus: i % 3 === 0 ? "completed" : "processing",
    placedAt: new Date(placedAt + i),
  });
  if (open && known) datamart.addOrder(known);
  return { ...data, datamartStatus: open ? "pending" : "completed" };
}

/** Puts the due orders back as they were before a run, and the engine's state as in steady service. */
export async function resetDue(
  firestore: Firestore,
  datamart: DatamartStandIn,
  due: number,
): Promise<void> {
  await writeOrders(firestore, datamart, due, due);
  await steadyState(firestore);
  datamart.resetCounters();
}
