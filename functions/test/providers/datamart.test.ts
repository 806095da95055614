import { expect } from "chai";
import nock from "nock";
import { providerFailure } from "../support/providerErrors";
import { freePort } from "../../dev/emulators";
import {
  deliveryTrackerReply,
  errorReply,
  INVALID_API_KEY,
  ORDER_NOT_FOUND,
  orderStatusReply,
  balanceReply,
  rateLimitedReply,
  transactionsPageReply,
} from "../../dev/standins/datamartReplies";
import { retryAfterMs } from "../../src/providers/http";
import { DatamartClient } from "../../src/providers/datamart";

const BASE = "https://datamart.test/api/developer";
const KEY = "dm-secret-key-123";

function client(timeoutMs = 1_000): DatamartClient {
  return new DatamartClient({ baseUrl: BASE, apiKey: KEY, timeoutMs });
}

const statusReply = (status: unknown): object =>
  orderStatusReply(
    { orderId: "66a0", orderReference: "GN-1", status, network: "YELLO", capacity: "1" },
    { rateLimit: { limit: 200, remaining: 199, resetInSeconds: 60 } },
  );

const failure = (promise: Promise<unknown>) => providerFailure(promise, KEY);

describe("Datamart client", () => {
  afterEach(() => nock.cleanAll());

  it("reads data.orderStatus with the API key header", async () => {
    nock(BASE, { reqheaders: { "X-API-Key": KEY } })
      .get("/order-status/GN-1")
      .reply(200, statusReply("completed"));
    const result = await client().fetchOrderStatus("GN-1");
    expect(result.orderStatus).to.equal("completed");
    expect(result.data).to.include({ network: "YELLO" });
  });

  it("never takes the envelope's success for an order status", async () => {
    nock(BASE)
      .get("/order-status/GN-1")
      .reply(200, { status: "success", data: { reference: "GN-1" } });
    const error = await failure(client().fetchOrderStatus("GN-1"));
    expect(error.kind).to.equal("bad-response");
    expect(error.transient).to.be.false;
  });

  it("classifies a timeout as transient", async () => {
    nock(BASE).get("/order-status/GN-1").delay(300).reply(200, statusReply("completed"));
    const error = await failure(client(50).fetchOrderStatus("GN-1"));
    expect(error.kind).to.equal("timeout");
    expect(error.message).to.equal("datamart timed out (ECONNABORTED)");
    expect(error.transient).to.be.true;
  });

  it("classifies a refused connection as transient", async () => {
    const closed = new DatamartClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      apiKey: KEY,
      timeoutMs: 1_000,
    });
    const error = await failure(closed.fetchOrderStatus("GN-1"));
    expect(error.kind).to.equal("network");
    expect(error.message).to.equal("datamart unreachable (ECONNREFUSED)");
    expect(error.transient).to.be.true;
  });

  it("classifies a 5xx as transient and keeps the raw body", async () => {
    nock(BASE).get("/order-status/GN-1").reply(502, "<html>Bad gateway</html>");
    const error = await failure(client().fetchOrderStatus("GN-1"));
    expect(error).to.include({ kind: "server", transient: true, status: 502 });
    expect(error.details.body).to.equal("<html>Bad gateway</html>");
  });

  it("takes the wait from Retry-After on a 429", async () => {
    nock(BASE).get("/order-status/GN-1").reply(429, errorReply("Too many"), { "Retry-After": "7" });
    const error = await failure(client().fetchOrderStatus("GN-1"));
    expect(error).to.include({ kind: "rate-limited", transient: true, retryAfterMs: 7_000 });
  });

  it("takes the wait from rateLimit.resetInSeconds when a 429 has no Retry-After", async () => {
    nock(BASE).get("/order-status/GN-1").reply(429, rateLimitedReply(200, 12));
    const error = await failure(client().fetchOrderStatus("GN-1"));
    expect(error.retryAfterMs).to.equal(12_000);
  });

  it("classifies 404 as an unknown reference, permanent", async () => {
    nock(BASE).get("/order-status/GN-404").reply(404, ORDER_NOT_FOUND);
    const error = await failure(client().fetchOrderStatus("GN-404"));
    expect(error).to.include({ kind: "not-found", transient: false });
  });

  it("classifies 401 and 403 as auth failures, permanent", async () => {
    nock(BASE).get("/order-status/GN-1").reply(401, INVALID_API_KEY);
    nock(BASE).get("/order-status/GN-2").reply(403, errorReply("API_RULE_VIOLATION"));
    expect(await failure(client().fetchOrderStatus("GN-1"))).to.include({
      kind: "auth",
      transient: false,
    });
    expect(await failure(client().fetchOrderStatus("GN-2"))).to.include({
      kind: "auth",
      status: 403,
    });
  });

  it("classifies malformed JSON as a bad response, permanent", async () => {
    nock(BASE)
      .get("/order-status/GN-1")
      .reply(200, "{not json", { "Content-Type": "application/json" });
    const error = await failure(client().fetchOrderStatus("GN-1"));
    expect(error).to.include({ kind: "bad-response", transient: false });
    expect(error.details.body).to.equal("{not json");
  });

  it("classifies an error envelope with HTTP 200 as rejected", async () => {
    nock(BASE).get("/order-status/GN-1").reply(200, errorReply("Something odd"));
    const error = await failure(client().fetchOrderStatus("GN-1"));
    expect(error).to.include({ kind: "rejected", transient: false });
    expect(error.message).to.contain("Something odd");
  });

  it("tries the next reference form after a 404", async () => {
    nock(BASE).get("/order-status/GN-1").reply(404, ORDER_NOT_FOUND);
    nock(BASE).get("/order-status/TRX-1").reply(200, statusReply("processing"));
    const result = await client().getOrderStatusByAnyReference(["GN-1", "TRX-1", "66a0"]);
    expect(result).to.include({ reference: "TRX-1", orderStatus: "processing" });
  });

  it("does not try other forms after an error that is not a 404", async () => {
    nock(BASE).get("/order-status/GN-1").reply(500, "down");
    const error = await failure(client().getOrderStatusByAnyReference(["GN-1", "TRX-1"]));
    expect(error.kind).to.equal("server");
  });

  it("reports not-found when no form is known", async () => {
    nock(BASE).get("/order-status/GN-1").reply(404, errorReply());
    nock(BASE).get("/order-status/TRX-1").reply(404, errorReply());
    const error = await failure(client().getOrderStatusByAnyReference(["GN-1", "TRX-1"]));
    expect(error.kind).to.equal("not-found");
  });

  it("reads the delivery tracker's message, and none when it gives none", async () => {
    const counts = { checked: 4, delivered: 2, pending: 2, failed: 0 };
    const said = "Yello portal is processing orders steadily. Estimated delivery: 1-2 hours";
    nock(BASE, { reqheaders: { "X-API-Key": KEY } })
      .get("/delivery-tracker")
      .reply(200, deliveryTrackerReply(counts, `  ${said} `));
    expect(await client().fetchDeliveryTracker()).to.deep.equal({ message: said });
    nock(BASE).get("/delivery-tracker").reply(200, deliveryTrackerReply(counts, undefined));
    expect(await client().fetchDeliveryTracker()).to.deep.equal({ message: null });
  });

  it("classifies a tracker answer whose message is not text as a bad response", async () => {
    nock(BASE)
      .get("/delivery-tracker")
      .reply(200, { status: "success", data: { message: { text: "soon" } } });
    const error = await failure(client().fetchDeliveryTracker());
    expect(error.kind).to.equal("bad-response");
  });

  it("says what went wrong in words an operator can act on, naming Datamart", async () => {
    const said = async (reply: [number, string | object], message: string) => {
      nock(BASE)
        .get("/order-status/GN-1")
        .reply(...reply);
      const error = await failure(client().fetchOrderStatus("GN-1"));
      expect(error, message).to.include({ provider: "datamart", message });
      return error;
    };
    await said([404, ORDER_NOT_FOUND], "Datamart does not know this reference");
    await said([401, INVALID_API_KEY], "Datamart refused the API key (HTTP 401)");
    await said([503, "down"], "Datamart answered HTTP 503");
    await said([429, rateLimitedReply(200, 30)], "Datamart rate limit reached");
    await said([200, { hello: "world" }], "Datamart answered an unexpected body");
    await said([400, { status: "error" }], "Datamart rejected the request: HTTP 400");
    await said([200, { status: "success", data: {} }], "Datamart's answer has no order status");
    const rejected = await said(
      [422, errorReply("Bad reference")],
      "Datamart rejected the request: Bad reference",
    );
    expect(rejected.details).to.include({ status: 422 });
    expect(await failure(client().getOrderStatusByAnyReference([]))).to.include({
      provider: "datamart",
      kind: "not-found",
      message: "The order has no Datamart reference",
    });
  });

  it("reads a page of wallet movements, asking for that page and size", async () => {
    const movement = {
      type: "purchase",
      amount: "5.98",
      status: "completed",
      reference: "TRX-1",
      createdAt: "2026-12-06T10:00:00.000Z",
    };
    nock(BASE)
      .get("/transactions")
      .query({ page: "2", limit: "1" })
      .reply(200, transactionsPageReply([movement, movement], 2, 1));
    const page = await client().fetchTransactions(2, 1);
    expect(page.transactions).to.deep.equal([{ ...movement, amount: 5.98 }]);
    expect(page.pagination).to.deep.include({ currentPage: 2, totalPages: 2 });
    for (const bad of [
      { ...movement, createdAt: "yesterday" },
      { ...movement, type: "  " },
      { ...movement, amount: "lots" },
    ]) {
      nock(BASE)
        .get("/transactions")
        .query(true)
        .reply(200, transactionsPageReply([bad], 1, 10));
      expect(await failure(client().fetchTransactions(1, 10)), JSON.stringify(bad)).to.include({
        provider: "datamart",
        kind: "bad-response",
        message: "Datamart's transaction list does not parse",
      });
    }
  });

  it("reads DataSell's wallet balance, and says when it does not parse", async () => {
    nock(BASE).get("/balance").reply(200, balanceReply(812.5));
    expect(await client().fetchBalance()).to.include({ balance: 812.5, currency: "GHS" });
    nock(BASE)
      .get("/balance")
      .reply(200, { status: "success", data: { balance: "a lot" } });
    expect(await failure(client().fetchBalance())).to.include({
      provider: "datamart",
      kind: "bad-response",
      message: "Datamart's balance does not parse",
    });
  });

  it("asks for JSON under its base URL, however many slashes the URL ends with", async () => {
    nock(BASE, { reqheaders: { accept: "application/json", "x-api-key": KEY } })
      .get("/balance")
      .reply(200, balanceReply(10));
    const slashed = new DatamartClient({ baseUrl: `${BASE}//`, apiKey: KEY, timeoutMs: 1_000 });
    expect(await slashed.fetchBalance()).to.include({ balance: 10 });
  });

  it("says when the delivery tracker's answer does not parse", async () => {
    nock(BASE)
      .get("/delivery-tracker")
      .reply(200, { status: "success", data: { message: 42 } });
    expect(await failure(client().fetchDeliveryTracker())).to.include({
      provider: "datamart",
      message: "Datamart's delivery tracker does not parse",
    });
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-12-06T10:00:00Z");
  it("reads seconds or an HTTP date, never a negative wait, and nothing from a blank or garbage", () => {
    expect(retryAfterMs("120", now)).to.equal(120_000);
    expect(retryAfterMs("-5", now)).to.equal(0);
    expect(retryAfterMs("Sun, 06 Dec 2026 10:01:30 GMT", now)).to.equal(90_000);
    expect(retryAfterMs("Sun, 06 Dec 2026 09:59:00 GMT", now)).to.equal(0);
    for (const header of [undefined, 120, "", "   ", "soon"])
      expect(retryAfterMs(header, now), String(header)).to.equal(undefined);
  });
});
