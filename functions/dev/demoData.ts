import type { DemoUser } from "./authEmulator";
import type { StandInOrder } from "./standins/datamartStandIn";

/** The local stack's project: a demo- id, so nothing can reach a real project. */
export const DEMO_PROJECT = "demo-datasell";

export const DEMO_USERS = {
  user: { uid: "demo-user", email: "ama@datasell.demo" },
  otherUser: { uid: "demo-user-2", email: "kofi@datasell.demo" },
  admin: { uid: "demo-admin", email: "admin@datasell.demo", admin: true },
} satisfies Record<string, DemoUser>;

export interface DemoOrder {
  id: string;
  /** The `transactions/{id}` document, as the DataSell app writes it. */
  data: Record<string, unknown>;
  /** What the stand-in Datamart says of it; absent for orders Datamart never saw. */
  datamart?: StandInOrder;
}

const NETWORKS = [
  { network: "YELLO", phone: "0241234567" },
  { network: "TELECEL", phone: "0201234567" },
  { network: "AT_PREMIUM", phone: "0271234567" },
];

let sequence = 0;

/** An order as the app places it, and the Datamart purchase it stands for. */
export function demoOrder(options: {
  id?: string;
  userId?: string;
  status?: string;
  datamartStatus?: string;
  placedAt?: Date;
  gb?: number;
  withReference?: boolean;
}): DemoOrder {
  sequence += 1;
  const placedAt = options.placedAt ?? new Date();
  const stamp = placedAt.getTime().toString(36).toUpperCase();
  const id = options.id ?? `DS-${stamp}-${sequence}`;
  const { network, phone } = NETWORKS[sequence % NETWORKS.length];
  const gb = options.gb ?? [1, 2, 5, 10][sequence % 4];
  const purchaseId =
    `66a${placedAt.getTime().toString(16).padStart(13, "0")}${sequence.toString(16).padStart(8, "0")}`.slice(
      0,
      24,
    );
  const datamart: StandInOrder = {
    orderId: purchaseId,
    orderReference: `GN-${stamp}${sequence}`,
    transactionReference: `TRX-${stamp}${sequence}`,
    status: options.datamartStatus ?? "pending",
    phoneNumber: phone,
    network,
    capacity: String(gb),
    price: gb * 5.5,
  };
  const withReference = options.withReference ?? true;
  return {
    id,
    data: {
      userId: options.userId ?? DEMO_USERS.user.uid,
      network,
      packageName: `${gb}GB`,
      volume: String(gb),
      phoneNumber: phone,
      amount: datamart.price,
      status: options.status ?? "processing",
      reference: id,
      transactionId: id,
      datamartTransactionId: withReference ? purchaseId : null,
      datamartResponse: withReference
        ? {
            purchaseId,
            orderReference: datamart.orderReference,
            transactionReference: datamart.transactionReference,
            orderStatus: "pending",
          }
        : null,
      datamartStatus: withReference ? "pending" : null,
      lastSyncedAt: null,
      timestamp: placedAt.toISOString(),
      paymentMethod: "wallet",
    },
    datamart: withReference ? datamart : undefined,
  };
}

/**
 * The orders in `emulator-data/`: one in every final status, an old legacy `success` order Datamart
 * completed long ago, one stuck for days (it will be flagged needsAttention), and one the app never
 * placed with Datamart. `npm start` places fresh orders on top of these.
 */
export function emulatorDataOrders(): DemoOrder[] {
  const daysAgo = (days: number) =>
    new Date(Date.parse("2026-11-20T09:00:00.000Z") - days * 86_400_000);
  return [
    demoOrder({
      id: "DS-SEED-DELIVERED",
      status: "delivered",
      datamartStatus: "completed",
      placedAt: daysAgo(3),
    }),
    demoOrder({
      id: "DS-SEED-FAILED",
      status: "failed",
      datamartStatus: "failed",
      placedAt: daysAgo(3),
    }),
    demoOrder({
      id: "DS-SEED-CANCELLED",
      status: "cancelled",
      datamartStatus: "cancelled",
      placedAt: daysAgo(2),
    }),
    demoOrder({
      id: "DS-SEED-REFUNDED",
      status: "refunded",
      datamartStatus: "refunded",
      placedAt: daysAgo(2),
    }),
    demoOrder({
      id: "DS-SEED-LEGACY-SUCCESS",
      status: "success",
      datamartStatus: "completed",
      placedAt: daysAgo(1),
    }),
    demoOrder({
      id: "DS-SEED-STUCK",
      datamartStatus: "processing",
      placedAt: daysAgo(2),
      userId: DEMO_USERS.otherUser.uid,
    }),
    demoOrder({ id: "DS-SEED-NO-REFERENCE", withReference: false, placedAt: daysAgo(1) }),
  ];
}
