import type { DemoUser } from "./authEmulator";
import { appOrder, type AppOrder, type AppOrderOptions } from "./orderFactory";

/** The local stack's project: a demo- id, so nothing can reach a real project. */
export const DEMO_PROJECT = "demo-datasell";

export const DEMO_USERS = {
  user: { uid: "demo-user", email: "ama@datasell.demo" },
  otherUser: { uid: "demo-user-2", email: "kofi@datasell.demo" },
  admin: { uid: "demo-admin", email: "admin@datasell.demo", admin: true },
} satisfies Record<string, DemoUser>;

export type DemoOrder = AppOrder;

/** The demo customers' `users` documents: wallets, emails, channel choices, and Ama's phone for push. */
export function emulatorDataUsers(): {
  uid: string;
  data: Record<string, unknown>;
  pushTokens: string[];
}[] {
  return [
    {
      uid: DEMO_USERS.user.uid,
      data: {
        email: DEMO_USERS.user.email,
        phoneNumber: "0241234567",
        walletBalance: 25.5,
        notificationPreferences: { sms: true, push: true, email: true },
      },
      pushTokens: ["demo-device-token-ama-phone-0001"],
    },
    {
      uid: DEMO_USERS.otherUser.uid,
      data: {
        email: DEMO_USERS.otherUser.email,
        phoneNumber: "0201234567",
        walletBalance: 2.5999999999999943,
      },
      pushTokens: [],
    },
  ];
}

let placed = 0;

/** A demo customer's order: networks and bundle sizes vary from one order to the next. */
export function demoOrder(options: Omit<AppOrderOptions, "networkIndex" | "gb">): DemoOrder {
  placed += 1;
  return appOrder({
    networkIndex: placed,
    gb: [1, 2, 5, 10][placed % 4],
    ...options,
    userId: options.userId ?? DEMO_USERS.user.uid,
  });
}

/**
 * The orders in `emulator-data/`: one in every final status, an old legacy `success` order Datamart
 * completed long ago, one stuck for days (it will be flagged needsAttention), and one the app never
 * placed with Datamart, placed 1 to 3 days before `anchor` (the day `emulator-data/` was last
 * rebuilt, so the console's "last 7 days" shows them for a few days after). `npm start` places
 * fresh orders on top of these.
 */
export function emulatorDataOrders(anchor = new Date("2026-12-05T09:00:00.000Z")): DemoOrder[] {
  const daysAgo = (days: number) => new Date(anchor.getTime() - days * 86_400_000);
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
    demoOrder({ id: "DS-SEED-NO-REFERENCE", accepted: false, placedAt: daysAgo(1) }),
  ];
}
