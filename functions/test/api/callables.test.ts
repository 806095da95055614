import { expect } from "chai";
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { adminReconcileDatamart } from "../../src/triggers/adminReconcileDatamart";
import { adminSyncDatamartOrders } from "../../src/triggers/adminSyncDatamartOrders";
import { adminUpdateReconciliationCase } from "../../src/triggers/adminUpdateReconciliationCase";
import { getOrderStatus } from "../../src/triggers/getOrderStatus";
import { placeOrder } from "../support/datamart";
import { getAuth } from "firebase-admin/auth";
import { defaultApp } from "../../src/firestore";
import { clearFirestore, testDb } from "../support/firestore";
import { functionsStack } from "../support/functionsStack";
import { useFunctionsTest } from "../support/functionsTest";
import { COLLECTIONS } from "../../src/contract";
import { statsDay } from "../../src/domain/dailyStats";
import { DatamartClient } from "../../src/providers/datamart";
import { checkSupplierHealth } from "../../src/supplier/supplierHealth";
import { serveSyncRequest } from "../../src/sync/adminSync";
import { syncDeps } from "../../src/wiring";

describe("callables, wrapped with firebase-functions-test (Firestore emulator, stand-in Datamart)", () => {
  let datamart: DatamartStandIn;
  let authHost: string;

  before(async () => {
    datamart = await DatamartStandIn.start({ apiKey: "dm-key" });
    // Admins' accounts are looked up (disabled? revoked?) in a real Auth emulator.
    authHost = (await functionsStack()).emulator.authHost;
  });
  after(() => datamart.close());
  const fft = useFunctionsTest(() => ({
    FIREBASE_AUTH_EMULATOR_HOST: authHost,
    DATAMART_BASE_URL: datamart.baseUrl,
    ORDER_REFRESHES_PER_MINUTE: "2",
    ORDER_REFRESHES_ALL_USERS_PER_MINUTE: "3",
    DATAMART_API_KEY: "dm-key",
  }));
  beforeEach(async () => {
    datamart.reset();
    await clearFirestore();
  });

  before(async () => {
    await getAuth(defaultApp())
      .createUser({ uid: "boss", email: "boss@datasell.test" })
      .catch((error: { code?: string }) => {
        if (error.code !== "auth/uid-already-exists") throw error;
      });
  });
  const user = (uid: string, claims: Record<string, unknown> = {}) => ({
    uid,
    token: { uid, auth_time: Math.floor(Date.now() / 1000), ...claims },
  });
  const statusOf = (data: unknown, auth?: ReturnType<typeof user>) =>
    fft().wrap(getOrderStatus)({ data, auth } as CallableRequest);
  const syncAs = (auth?: ReturnType<typeof user>) =>
    fft().wrap(adminSyncDatamartOrders)({ data: {}, auth } as CallableRequest);

  async function rejection(promise: Promise<unknown>): Promise<HttpsError> {
    try {
      await promise;
    } catch (error) {
      expect(error).to.be.instanceOf(HttpsError);
      return error as HttpsError;
    }
    throw new Error("expected an HttpsError");
  }

  it("answers the owner with the seed's response shape", async () => {
    const order = await placeOrder(datamart, "own-1", "processing", {
      userId: "u1",
      timestamp: "2026-11-26T08:00:00.000Z",
    });
    expect(await statusOf({ transactionId: "own-1" }, user("u1"))).to.deep.equal({
      success: true,
      transaction: {
        id: "own-1",
        status: "processing",
        reference: order.reference,
        network: "YELLO",
        packageName: "1GB",
        amount: 6.5,
        timestamp: "2026-11-26T08:00:00.000Z",
        phoneNumber: "0241234567",
        datamartTransactionId: order.datamartTransactionId,
        // Supplier health has not run: nothing to say about times.
        expectedDelivery: null,
      },
    });
  });

  it("tells the owner of an open order what to expect from supplier health's figures, and nothing once it is final", async () => {
    const today = statsDay(new Date());
    await testDb()
      .collection(COLLECTIONS.dailyStats)
      .doc(`${today}_MTN`)
      .set({ day: today, network: "MTN", deliveryMinutes: { "5": 20, "30": 10 } });
    datamart.setTrackerMessage("Yello portal is busy. Estimated delivery: 1-2 hours");
    await checkSupplierHealth({
      db: testDb(),
      datamart: new DatamartClient({
        baseUrl: datamart.baseUrl,
        apiKey: "dm-key",
        timeoutMs: 2_000,
      }),
      thresholds: { lowGhs: 200, criticalGhs: 50 },
    });
    await placeOrder(datamart, "open-1", "processing", { userId: "u1" });
    await placeOrder(datamart, "done-1", "processing", { userId: "u1", status: "delivered" });
    const open = await statusOf({ transactionId: "open-1" }, user("u1"));
    expect(open.transaction.expectedDelivery).to.include({
      network: "MTN",
      p50Minutes: 5,
      p95Minutes: 30,
      basedOnDeliveries: 30,
      trackerMessage: "Yello portal is busy. Estimated delivery: 1-2 hours",
    });
    const done = await statusOf({ transactionId: "done-1" }, user("u1"));
    expect(done.transaction).to.include({ status: "delivered", expectedDelivery: null });
  });

  it("answers not-found for another user's order and for a missing one alike", async () => {
    await placeOrder(datamart, "own-1", "processing", { userId: "u1" });
    const theirs = await rejection(statusOf({ transactionId: "own-1" }, user("u2")));
    const missing = await rejection(statusOf({ transactionId: "nope" }, user("u2")));
    expect([theirs.code, missing.code]).to.deep.equal(["not-found", "not-found"]);
    expect(theirs.message).to.equal(missing.message);
  });

  it("lets an admin read any order", async () => {
    await placeOrder(datamart, "own-1", "processing", { userId: "u1" });
    const answer = (await statusOf({ transactionId: "own-1" }, user("boss", { admin: true }))) as {
      transaction: { id: string };
    };
    expect(answer.transaction.id).to.equal("own-1");
  });

  it("asks for sign-in before anything else", async () => {
    expect((await rejection(statusOf({ transactionId: "own-1" }))).code).to.equal(
      "unauthenticated",
    );
    expect((await rejection(statusOf({}))).code).to.equal("unauthenticated");
  });

  for (const [name, data] of [
    ["an empty id", { transactionId: "" }],
    ["a too long id", { transactionId: "x".repeat(129) }],
    ["a number", { transactionId: 42 }],
    ["a path", { transactionId: "a/b" }],
    ["no input", null],
  ] as const) {
    it(`rejects ${name} as invalid-argument`, async () => {
      expect((await rejection(statusOf(data, user("u1")))).code).to.equal("invalid-argument");
    });
  }

  it("refreshes an open order from Datamart through applyStatus when asked", async () => {
    await placeOrder(datamart, "own-1", "completed", { userId: "u1" });
    const answer = (await statusOf({ transactionId: "own-1", refresh: true }, user("u1"))) as {
      transaction: { status: string };
    };
    expect(answer.transaction.status).to.equal("delivered");
    const history = await testDb()
      .collection(COLLECTIONS.transactions)
      .doc("own-1")
      .collection(COLLECTIONS.statusHistory)
      .get();
    expect(history.docs.map((d) => d.get("source") as string)).to.deep.equal(["user"]);
  });

  it("does not ask Datamart again for an order checked in the last minute", async () => {
    await placeOrder(datamart, "own-1", "processing", {
      userId: "u1",
      lastSyncedAt: new Date().toISOString(),
    });
    await statusOf({ transactionId: "own-1", refresh: true }, user("u1"));
    expect(datamart.requests).to.have.length(0);
  });

  it("limits refreshes per user, answering resource-exhausted", async () => {
    for (const id of ["r1", "r2", "r3"])
      await placeOrder(datamart, id, "processing", { userId: "u1" });
    await statusOf({ transactionId: "r1", refresh: true }, user("u1"));
    await statusOf({ transactionId: "r2", refresh: true }, user("u1"));
    const limited = await rejection(statusOf({ transactionId: "r3", refresh: true }, user("u1")));
    expect(limited.code).to.equal("resource-exhausted");
    expect(datamart.requests).to.have.length(2);
    // Another user has a quota of their own.
    await placeOrder(datamart, "r4", "processing", { userId: "u2" });
    await statusOf({ transactionId: "r4", refresh: true }, user("u2"));
    expect(datamart.requests).to.have.length(3);
  });

  it("asks Datamart at most once a minute about an unchanged order, whoever refreshes it", async () => {
    await placeOrder(datamart, "own-1", "processing", { userId: "u1" });
    for (const caller of [user("u1"), user("u1"), user("boss", { admin: true })]) {
      const answer = (await statusOf({ transactionId: "own-1", refresh: true }, caller)) as {
        transaction: { status: string };
      };
      expect(answer.transaction.status).to.equal("processing");
    }
    expect(datamart.requests).to.have.length(1);
  });

  it("keeps all users' refreshes within their share of Datamart's limit, answering the stored status beyond it", async () => {
    for (let i = 1; i <= 5; i++) {
      await placeOrder(datamart, `many-${i}`, "completed", { userId: `u${i}` });
      const answer = (await statusOf(
        { transactionId: `many-${i}`, refresh: true },
        user(`u${i}`),
      )) as {
        transaction: { status: string };
      };
      expect(answer.transaction.status, `many-${i}`).to.equal(i <= 3 ? "delivered" : "processing");
    }
    expect(datamart.requests).to.have.length(3);
  });

  it("answers with the stored status when Datamart fails during a refresh", async () => {
    await placeOrder(datamart, "own-1", "completed", { userId: "u1" });
    datamart.setOutage({ httpStatus: 502, body: "down" });
    const answer = (await statusOf({ transactionId: "own-1", refresh: true }, user("u1"))) as {
      transaction: { status: string };
    };
    expect(answer.transaction.status).to.equal("processing");
  });

  it("runs a sync for an admin and refuses everyone else", async () => {
    await placeOrder(datamart, "s1", "completed");
    expect((await rejection(syncAs())).code).to.equal("unauthenticated");
    expect((await rejection(syncAs(user("u1")))).code).to.equal("permission-denied");
    // The request's trigger, as the functions emulator would run it.
    const serving: Promise<void>[] = [];
    const stop = testDb()
      .collection(COLLECTIONS.syncRequests)
      .onSnapshot((snapshot) =>
        snapshot.docChanges().forEach((c) => serving.push(serveSyncRequest(syncDeps(), c.doc.ref))),
      );
    const answer = await syncAs(user("boss", { admin: true }));
    stop();
    await Promise.all(serving);
    expect(answer).to.include({ success: true, outcome: "taken" });
    const [request] = (await testDb().collection(COLLECTIONS.syncRequests).get()).docs;
    expect(request.data()).to.include({ uid: "boss", state: "done", updated: 1 });
  });

  it("reconciles and lets a case be explained for an admin only", async () => {
    const reconcileAs = (auth?: ReturnType<typeof user>) =>
      fft().wrap(adminReconcileDatamart)({ data: {}, auth } as CallableRequest);
    const updateAs = (data: unknown, auth?: ReturnType<typeof user>) =>
      fft().wrap(adminUpdateReconciliationCase)({ data, auth } as CallableRequest);
    datamart.addMovement({
      type: "purchase",
      amount: 5,
      status: "completed",
      reference: "TRX-GHOST",
      createdAt: new Date().toISOString(),
    });
    expect((await rejection(reconcileAs(user("u1")))).code).to.equal("permission-denied");
    const report = (await reconcileAs(user("boss", { admin: true }))) as {
      complete: boolean;
      newCases: number;
    };
    expect(report).to.include({ complete: true, newCases: 1 });
    const caseId = "movement-without-order_TRX-GHOST";
    const verdict = { caseId, state: "explained", note: "A test top-up" };
    expect((await rejection(updateAs(verdict, user("u1")))).code).to.equal("permission-denied");
    expect(await updateAs(verdict, user("boss", { admin: true }))).to.include({
      state: "explained",
    });
  });

  it("hides unexpected errors behind a bare internal", async () => {
    // A lease document no run could have written: the reconciliation trips over it.
    await testDb()
      .collection(COLLECTIONS.leases)
      .doc("datamartReconciliation")
      .set({ expiresAt: "soon" });
    const reconcileAs = fft().wrap(adminReconcileDatamart);
    const error = await rejection(
      reconcileAs({ data: {}, auth: user("boss", { admin: true }) } as CallableRequest),
    );
    expect(error.code).to.equal("internal");
    expect(error.message).to.equal("Internal error");
    expect(JSON.stringify(error.toJSON())).not.to.match(/zod|at |\.ts/i);
  });
});
