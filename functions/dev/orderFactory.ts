import { isFinalStatus } from "../src/domain/orderStatus";
import type { StandInOrder } from "./standins/datamartStandIn";

/*
 * The one description of an order as the DataSell app writes it (`transactions/{id}`, ISO-string
 * times, Datamart's purchase answer under `datamartResponse`), shared by the tests, the demo data and
 * the benchmark.
 */

const NETWORKS = [
  { network: "YELLO", phone: "0241234567" },
  { network: "TELECEL", phone: "0201234567" },
  { network: "AT_PREMIUM", phone: "0271234567" },
] as const;

export interface AppOrder {
  id: string;
  /** The `transactions/{id}` document. */
  data: Record<string, unknown>;
  /** What Datamart knows of it; absent for an order Datamart never accepted. */
  datamart?: StandInOrder;
}

export interface AppOrderOptions {
  id?: string;
  /** Distinguishes the order's references (`GN-{key}`, `TRX-{key}`); unique per order. */
  key?: string;
  userId?: string;
  status?: string;
  /** What Datamart says of the order now (the stand-in's status). */
  datamartStatus?: string;
  placedAt?: Date;
  /** 0: MTN (YELLO), 1: Telecel, 2: AirtelTigo. */
  networkIndex?: number;
  gb?: number;
  amount?: number;
  /** False: Datamart refused the purchase, so the order has no Datamart identity. */
  accepted?: boolean;
}

let sequence = 0;

export function appOrder(options: AppOrderOptions = {}): AppOrder {
  sequence += 1;
  const placedAt = options.placedAt ?? new Date();
  const key = options.key ?? `${placedAt.getTime().toString(36).toUpperCase()}${sequence}`;
  const id = options.id ?? `DS-${key}`;
  const { network, phone } = NETWORKS[(options.networkIndex ?? 0) % NETWORKS.length];
  const gb = options.gb ?? 1;
  // 24 hex digits like Datamart's purchase ids, unique across processes placing orders.
  const purchaseId = (
    0x66a000000000000000000000n +
    BigInt(placedAt.getTime()) * 4096n +
    BigInt(sequence)
  )
    .toString(16)
    .slice(-24);
  const datamart: StandInOrder = {
    orderId: purchaseId,
    orderReference: `GN-${key}`,
    transactionReference: `TRX-${key}`,
    status: options.datamartStatus ?? "pending",
    phoneNumber: phone,
    network,
    capacity: String(gb),
    // Datamart's wholesale price: DataSell sells at about 8 % more.
    price: Math.round((options.amount ?? gb * 6.5) * 92) / 100,
  };
  const retail = options.amount ?? gb * 6.5;
  const accepted = options.accepted ?? true;
  // A settled order carries Datamart's last word, as the sync left it; an open one what the app
  // stored at purchase.
  const settled = options.status !== undefined && isFinalStatus(options.status);
  const datamartWord = settled ? datamart.status : "pending";
  return {
    id,
    data: {
      userId: options.userId ?? "user-1",
      network,
      packageName: `${gb}GB`,
      volume: String(gb),
      phoneNumber: phone,
      amount: retail,
      status: options.status ?? "processing",
      reference: id,
      transactionId: id,
      datamartTransactionId: accepted ? purchaseId : null,
      datamartResponse: accepted
        ? {
            purchaseId,
            orderReference: datamart.orderReference,
            transactionReference: datamart.transactionReference,
            price: datamart.price,
            orderStatus: "pending",
          }
        : null,
      datamartStatus: accepted ? datamartWord : null,
      lastSyncedAt: null,
      timestamp: placedAt.toISOString(),
      paymentMethod: "wallet",
    },
    datamart: accepted ? datamart : undefined,
  };
}
