import { expect } from "chai";
import { placeOrder } from "../support/datamart";
import { updateAccount } from "../../dev/authEmulator";
import {
  functionsStack,
  retriedOnceForLostEvents,
  type FunctionsStack,
} from "../support/functionsStack";
import { Timestamp } from "firebase-admin/firestore";
import { COLLECTIONS, type AdminSyncAnswer } from "../../src/contract";
import { TAKE_TIMEOUT_MS } from "../../src/sync/adminSync";
import { eventually } from "../support/eventually";
import { summarize } from "../../src/domain/dailyStats";

const USER = { uid: "api-user", email: "api-user@datasell.test" };
const OTHER = { uid: "api-other", email: "api-other@datasell.test" };
const ADMIN = { uid: "api-admin", email: "api-admin@datasell.test", admin: true };

/** An unsigned emulator-style ID token that expired an hour ago. */
function expiredToken(projectId: string): string {
  const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return [
    encode({ alg: "none", typ: "JWT" }),
    encode({
      iss: `https://securetoken.google.com/${projectId}`,
      aud: projectId,
      sub: USER.uid,
      user_id: USER.uid,
      auth_time: now - 7200,
      iat: now - 7200,
      exp: now - 3600,
    }),
    "",
  ].join(".");
}

describe("callables and the HTTPS API on the functions emulator, with Auth-emulator ID tokens", function () {
  this.timeout(120_000);
  retriedOnceForLostEvents(this);
  let stack: FunctionsStack;
  const tokens: Record<string, string> = {};

  before(async () => {
    stack = await functionsStack();
    tokens.user = await stack.idToken(USER);
    tokens.other = await stack.idToken(OTHER);
    tokens.admin = await stack.idToken(ADMIN);
  });
  beforeEach(async () => {
    await stack.reset();
    await placeOrder(stack.datamart, "api-order", "completed", { userId: USER.uid }, stack.db);
  });

  const get = (path: string, token?: string, method = "GET") =>
    fetch(stack.apiUrl(path), {
      method,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
  const json = async (response: Response) =>
    (await response.json()) as {
      success: boolean;
      error?: { code: string; message: string };
      transaction?: { id: string; status: string; expectedDelivery?: object | null };
    };

  describe("an admin whose account was disabled or whose sessions were revoked", () => {
    const ADMIN_2 = { uid: "api-admin-2", email: "api-admin-2@datasell.test", admin: true };
    const account = (fields: { disableUser?: boolean; validSince?: string }) =>
      updateAccount(stack.emulator.authHost, stack.emulator.projectId, ADMIN_2.uid, fields);
    afterEach(() => account({ disableUser: false, validSince: "0" }));

    it("is refused at once, though the ID token has not expired", async () => {
      const token = await stack.idToken(ADMIN_2);
      expect((await get("/admin/sync-datamart-orders", token, "POST")).status).to.equal(200);
      await account({ disableUser: true });
      const disabled = await stack.call("adminSyncDatamartOrders", {}, token);
      expect(disabled.body.error).to.include({
        status: "UNAUTHENTICATED",
        message: "This account is disabled",
      });
      const viaApi = await get("/admin/sync-datamart-orders", token, "POST");
      expect(viaApi.status).to.equal(401);
      await account({ disableUser: false, validSince: String(Math.floor(Date.now() / 1000) + 1) });
      const revoked = await stack.call("adminRefundOrder", { transactionId: "api-order" }, token);
      expect(revoked.body.error).to.include({
        status: "UNAUTHENTICATED",
        message: "This session was revoked: sign in again",
      });
    });
  });

  describe("callables", () => {
    it("answer the owner, hide another user's order, and ask for a token", async () => {
      const own = await stack.call("getOrderStatus", { transactionId: "api-order" }, tokens.user);
      expect(own.body.result).to.deep.include({ success: true });
      const theirs = await stack.call(
        "getOrderStatus",
        { transactionId: "api-order" },
        tokens.other,
      );
      expect(theirs.body.error?.status).to.equal("NOT_FOUND");
      const anonymous = await stack.call("getOrderStatus", { transactionId: "api-order" });
      expect(anonymous.body.error?.status).to.equal("UNAUTHENTICATED");
      const admin = await stack.call(
        "getOrderStatus",
        { transactionId: "api-order" },
        tokens.admin,
      );
      expect(admin.body.result).to.deep.include({ success: true });
    });

    it("run the admin sync for the admin claim only", async () => {
      const denied = await stack.call("adminSyncDatamartOrders", {}, tokens.user);
      expect(denied.body.error?.status).to.equal("PERMISSION_DENIED");
      const taken = await stack.call("adminSyncDatamartOrders", {}, tokens.admin);
      expect(taken.body.result).to.deep.include({ success: true, outcome: "taken" });
      await eventually("the order delivered by the run that took the request", async () =>
        (await stack.db.collection(COLLECTIONS.transactions).doc("api-order").get()).get(
          "status",
        ) === "delivered"
          ? true
          : undefined,
      );
    });
  });

  describe("GET /api/order-status/:transactionId", () => {
    it("answers 200 with the order and what to expect, on the function's own URL and behind a Hosting rewrite", async () => {
      const last7d = {
        MTN: summarize([{ day: "d", network: "MTN", deliveryMinutes: { "3": 25, "15": 5 } }]),
      };
      await stack.db
        .collection(COLLECTIONS.supplierHealth)
        .doc("current")
        .set({ checkedAt: Timestamp.now(), delivery: { last7d }, trackerMessage: null });
      for (const path of ["/order-status/api-order", "/api/order-status/api-order"]) {
        const response = await get(path, tokens.user);
        expect(response.status, path).to.equal(200);
        const { transaction } = await json(response);
        expect(transaction).to.include({ id: "api-order", status: "processing" });
        expect(transaction?.expectedDelivery).to.include({ p50Minutes: 3, p95Minutes: 15 });
      }
    });

    it("refreshes from Datamart with ?refresh=true", async () => {
      const response = await get("/order-status/api-order?refresh=true", tokens.user);
      expect((await json(response)).transaction?.status).to.equal("delivered");
    });

    it("answers 400 for a malformed id", async () => {
      const response = await get(`/order-status/${"x".repeat(200)}`, tokens.user);
      expect(response.status).to.equal(400);
      expect((await json(response)).error?.code).to.equal("invalid-argument");
    });

    it("answers 401 without a token, with a malformed one, and with an expired one", async () => {
      for (const token of [undefined, "not-a-jwt", expiredToken(stack.emulator.projectId)]) {
        const response = await get("/order-status/api-order", token);
        expect(response.status, String(token)).to.equal(401);
        expect((await json(response)).error?.code).to.equal("unauthenticated");
      }
    });

    it("answers 404 alike for another user's order, a missing order and an unknown route", async () => {
      const theirs = await get("/order-status/api-order", tokens.other);
      const missing = await get("/order-status/nope", tokens.other);
      expect([theirs.status, missing.status]).to.deep.equal([404, 404]);
      expect(await json(theirs)).to.deep.equal(await json(missing));
      expect((await get("/nothing-here", tokens.user)).status).to.equal(404);
    });

    it("answers 405 with Allow for a wrong method", async () => {
      const response = await get("/order-status/api-order", tokens.user, "DELETE");
      expect(response.status).to.equal(405);
      expect(response.headers.get("allow")).to.equal("GET");
    });

    it("answers 429 with Retry-After when a user refreshes too often", async () => {
      for (let i = 0; i < 6; i++) {
        await placeOrder(
          stack.datamart,
          `burst-${i}`,
          "processing",
          { userId: USER.uid },
          stack.db,
        );
      }
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await get(`/order-status/burst-${i}?refresh=true`, tokens.user)).status);
      expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 429]);
      const limited = await get("/order-status/burst-5?refresh=true", tokens.user);
      expect(Number(limited.headers.get("retry-after"))).to.be.within(1, 60);
    });

    it("answers 500 without internals for an unexpected failure", async () => {
      // A refresh window no server could have written: the refresh quota trips over it.
      await stack.db
        .collection(COLLECTIONS.rateLimits)
        .doc(`refresh_${USER.uid}`)
        .set({ windowStart: "soon", count: 1 });
      const response = await get("/order-status/api-order?refresh=true", tokens.user);
      expect(response.status).to.equal(500);
      const body = await response.text();
      expect(JSON.parse(body)).to.deep.equal({
        success: false,
        error: { code: "internal", message: "Internal error" },
      });
    });
  });

  describe("POST /api/admin/sync-datamart-orders", () => {
    it("answers an admin within seconds with the run that took the request, whose pass is recorded on it", async () => {
      const asked = Date.now();
      const response = await get("/api/admin/sync-datamart-orders", tokens.admin, "POST");
      const answeredMs = Date.now() - asked;
      expect(response.status).to.equal(200);
      const body = (await response.json()) as AdminSyncAnswer;
      expect(body).to.include({ success: true, outcome: "taken" });
      // Hosting's rewrite would cut it at 60 s; the answer never waits for the run's end.
      expect(answeredMs).to.be.below(TAKE_TIMEOUT_MS + 5_000);
      const request = stack.db.collection(COLLECTIONS.syncRequests).doc(body.requestId);
      await eventually("the run's pass recorded on the request", async () =>
        (await request.get()).get("state") === "done" ? true : undefined,
      );
      expect((await request.get()).data()).to.include({ updated: 1 });
      console.log(`      admin sync through the API answered in ${answeredMs} ms`);
    });

    it("answers 403 without the admin claim, 401 without a token, 405 for GET", async () => {
      expect((await get("/admin/sync-datamart-orders", tokens.user, "POST")).status).to.equal(403);
      expect((await get("/admin/sync-datamart-orders", undefined, "POST")).status).to.equal(401);
      expect((await get("/admin/sync-datamart-orders", tokens.admin, "GET")).status).to.equal(405);
    });
  });
});
