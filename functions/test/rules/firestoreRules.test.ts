import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import {
  deleteDoc,
  doc,
  setLogLevel,
  getDoc,
  getDocs,
  query,
  setDoc,
  updateDoc,
  collection,
  where,
} from "firebase/firestore";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../dev/emulators";

const SERVER_ONLY = [
  "orderNotifications",
  "syncRuns",
  "leases",
  "syncState",
  "syncAdoptions",
  "rateLimits",
  "datamartWebhookEvents",
  "notificationSweeps",
  "mail",
  "reconciliationReports",
  "reconciliationCases",
  "reconciliationCharges",
  "supplierHealth",
  "supplierBalances",
  "dailyStats",
  "alerts",
  "webhookRejections",
];

describe("firestore.rules (Firestore emulator)", () => {
  let env: RulesTestEnvironment;
  let owner: RulesTestContext;
  let other: RulesTestContext;
  let anonymous: RulesTestContext;
  let admin: RulesTestContext;

  before(async () => {
    setLogLevel("silent"); // denied writes are expected here; the SDK would log each one
    const [host, port] = String(process.env.FIRESTORE_EMULATOR_HOST).split(":");
    env = await initializeTestEnvironment({
      projectId: "demo-datasell-rules",
      firestore: {
        rules: readFileSync(join(REPO_ROOT, "firestore.rules"), "utf8"),
        host,
        port: Number(port),
      },
    });
    owner = env.authenticatedContext("owner-1");
    other = env.authenticatedContext("other-1");
    anonymous = env.unauthenticatedContext();
    admin = env.authenticatedContext("admin-1", { admin: true });
  });
  after(() => env.cleanup());

  beforeEach(async () => {
    await env.clearFirestore();
    await env.withSecurityRulesDisabled(async (server) => {
      const db = server.firestore();
      await setDoc(doc(db, "transactions/order-1"), {
        userId: "owner-1",
        status: "processing",
        datamartStatus: "pending",
      });
      await setDoc(doc(db, "transactions/order-1/statusHistory/h1"), {
        from: "processing",
        to: "delivered",
      });
      await setDoc(doc(db, "users/owner-1"), { walletBalance: 2.5999999999999943 });
      await setDoc(doc(db, "users/owner-1/walletLedger/refund_order-1"), {
        type: "refund",
        orderId: "order-1",
        amount: 5,
      });
      await setDoc(doc(db, "users/owner-1/notifications/n1"), {
        title: "Data delivered",
        body: "...",
        read: false,
      });
      for (const name of SERVER_ONLY) await setDoc(doc(db, `${name}/x`), { any: 1 });
      await setDoc(doc(db, "somethingElse/x"), { any: 1 });
    });
  });

  const order = (ctx: RulesTestContext) => doc(ctx.firestore(), "transactions/order-1");

  describe("orders", () => {
    it("lets the owner and admins read an order, and nobody else", async () => {
      await assertSucceeds(getDoc(order(owner)));
      await assertSucceeds(getDoc(order(admin)));
      await assertFails(getDoc(order(other)));
      await assertFails(getDoc(order(anonymous)));
    });

    it("lets a user list their own orders only", async () => {
      await assertSucceeds(
        getDocs(
          query(collection(owner.firestore(), "transactions"), where("userId", "==", "owner-1")),
        ),
      );
      await assertFails(getDocs(collection(owner.firestore(), "transactions")));
    });

    it("lets no client write a status, a Datamart field or an order, not even an admin", async () => {
      for (const ctx of [owner, other, anonymous, admin]) {
        await assertFails(updateDoc(order(ctx), { status: "delivered" }));
        await assertFails(updateDoc(order(ctx), { datamartStatus: "completed" }));
        await assertFails(updateDoc(order(ctx), { "sync.nextCheckAt": null }));
        await assertFails(
          setDoc(doc(ctx.firestore(), "transactions/new-order"), {
            userId: "owner-1",
            status: "processing",
          }),
        );
        await assertFails(deleteDoc(order(ctx)));
      }
    });

    it("shows status history to admins only, and lets nobody write it", async () => {
      const entry = (ctx: RulesTestContext) =>
        doc(ctx.firestore(), "transactions/order-1/statusHistory/h1");
      await assertSucceeds(getDoc(entry(admin)));
      await assertFails(getDoc(entry(owner)));
      await assertFails(setDoc(entry(admin), { from: "x", to: "y" }));
      await assertFails(setDoc(entry(owner), { from: "x", to: "y" }));
    });
  });

  describe("the wallet", () => {
    const user = (ctx: RulesTestContext) => doc(ctx.firestore(), "users/owner-1");
    const entry = (ctx: RulesTestContext) =>
      doc(ctx.firestore(), "users/owner-1/walletLedger/refund_order-1");

    it("lets the owner and admins read the balance and the ledger, nobody else", async () => {
      for (const ctx of [owner, admin]) {
        await assertSucceeds(getDoc(user(ctx)));
        await assertSucceeds(getDoc(entry(ctx)));
        await assertSucceeds(getDocs(collection(ctx.firestore(), "users/owner-1/walletLedger")));
      }
      for (const ctx of [other, anonymous]) {
        await assertFails(getDoc(user(ctx)));
        await assertFails(getDoc(entry(ctx)));
      }
    });

    it("lets the owner choose notification channels, and write nothing else there", async () => {
      await assertSucceeds(
        updateDoc(user(owner), {
          notificationPreferences: { sms: false, push: true, email: true },
        }),
      );
      await assertSucceeds(updateDoc(user(owner), { notificationPreferences: { email: false } }));
      await assertFails(updateDoc(user(owner), { notificationPreferences: { sms: "no" } }));
      await assertFails(updateDoc(user(owner), { notificationPreferences: { fax: true } }));
      await assertFails(updateDoc(user(owner), { notificationPreferences: "all" }));
      await assertFails(
        updateDoc(user(owner), { notificationPreferences: { sms: true }, walletBalance: 99 }),
      );
      await assertFails(updateDoc(user(other), { notificationPreferences: { sms: false } }));
      await assertFails(updateDoc(user(admin), { notificationPreferences: { sms: false } }));
    });

    it("lets the owner and admins read the push tokens, and no client write them", async () => {
      await env.withSecurityRulesDisabled((server) =>
        setDoc(doc(server.firestore(), "users/owner-1/pushTokens/t1"), { token: "abc" }),
      );
      const token = (ctx: RulesTestContext) => doc(ctx.firestore(), "users/owner-1/pushTokens/t1");
      await assertSucceeds(getDoc(token(owner)));
      await assertSucceeds(getDoc(token(admin)));
      await assertFails(getDoc(token(other)));
      await assertFails(setDoc(token(owner), { token: "mine" }));
    });

    it("lets no client write a balance, a ledger entry or an order's refund, not even an admin", async () => {
      for (const ctx of [owner, other, admin]) {
        await assertFails(updateDoc(user(ctx), { walletBalance: 1_000 }));
        await assertFails(setDoc(entry(ctx), { type: "refund", amount: 1_000 }));
        await assertFails(
          setDoc(doc(ctx.firestore(), "users/owner-1/walletLedger/new"), { amount: 1 }),
        );
        await assertFails(updateDoc(order(ctx), { refund: { state: "credited" } }));
      }
    });
  });

  describe("in-app notifications", () => {
    const note = (ctx: RulesTestContext) => doc(ctx.firestore(), "users/owner-1/notifications/n1");

    it("lets the user and admins read them, nobody else", async () => {
      await assertSucceeds(getDoc(note(owner)));
      await assertSucceeds(getDoc(note(admin)));
      await assertFails(getDoc(note(other)));
      await assertFails(getDoc(note(anonymous)));
    });

    it("lets the user mark one read, and change nothing else", async () => {
      await assertSucceeds(updateDoc(note(owner), { read: true }));
      await assertFails(updateDoc(note(owner), { read: true, body: "changed" }));
      await assertFails(updateDoc(note(owner), { read: "yes" }));
      await assertFails(updateDoc(note(other), { read: true }));
      await assertFails(updateDoc(note(admin), { read: true }));
      await assertFails(
        setDoc(doc(owner.firestore(), "users/owner-1/notifications/n2"), { read: false }),
      );
      await assertFails(deleteDoc(note(owner)));
    });
  });

  describe("server-only collections", () => {
    for (const name of SERVER_ONLY) {
      it(`lets admins read ${name} and no client write it`, async () => {
        await assertSucceeds(getDoc(doc(admin.firestore(), `${name}/x`)));
        await assertFails(getDoc(doc(owner.firestore(), `${name}/x`)));
        await assertFails(getDoc(doc(anonymous.firestore(), `${name}/x`)));
        await assertFails(setDoc(doc(admin.firestore(), `${name}/x`), { any: 2 }));
        await assertFails(setDoc(doc(owner.firestore(), `${name}/y`), { any: 2 }));
      });
    }

    it("lets admins read an SMS's resend audit and no client write it", async () => {
      await env.withSecurityRulesDisabled((server) =>
        setDoc(doc(server.firestore(), "orderNotifications/x/audit/a1"), { adminUid: "admin-1" }),
      );
      const entry = (ctx: RulesTestContext) =>
        doc(ctx.firestore(), "orderNotifications/x/audit/a1");
      await assertSucceeds(getDoc(entry(admin)));
      await assertFails(getDoc(entry(owner)));
      await assertFails(setDoc(entry(admin), { adminUid: "me" }));
    });

    it("denies everything else, to admins too", async () => {
      await assertFails(getDoc(doc(admin.firestore(), "somethingElse/x")));
      await assertFails(setDoc(doc(owner.firestore(), "somethingElse/y"), { any: 1 }));
    });
  });
});
