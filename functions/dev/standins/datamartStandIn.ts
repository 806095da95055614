import { listen, sendCanned, sendJson, type CannedReply, type RunningServer } from "./http";
import { HOST } from "../emulators";
import { sign } from "../../src/webhooks/signature";
import {
  INVALID_API_KEY,
  ORDER_NOT_FOUND,
  balanceReply,
  deliveryTrackerReply,
  orderStatusReply,
  rateLimitedReply,
  transactionsPageReply,
} from "./datamartReplies";

/** An order as the stand-in knows it; it answers for its id and both references. */
export interface StandInOrder {
  orderId: string;
  orderReference: string;
  transactionReference: string;
  status: string;
  phoneNumber?: string;
  network?: string;
  capacity?: string;
  price?: number;
}

/** How orders added with `progress: true` move: pending -> processing -> completed (or failed). */
export interface Progression {
  /** Each step waits a random time in this range, in milliseconds. */
  stepMs: [number, number];
  /** Share of orders that end `failed` instead of `completed`, 0 to 1. */
  failShare: number;
}

export interface DatamartStandInOptions {
  port?: number;
  progression?: Progression;
  /** Called whenever an order's status changes in the stand-in. */
  onStatus?: (order: StandInOrder) => void;
  /** Where to send signed webhooks on status changes, as Datamart does (no retries). */
  webhook?: {
    url: string;
    secret: string;
    onError?: (error: unknown) => void;
    /**
     * How each webhook travels (the soak loses, repeats and delays some); by default it is sent
     * once, at once.
     */
    deliver?: (send: () => Promise<void>, order: StandInOrder) => void;
  };
  /** Added to every answer, plus up to `jitterMs` more. */
  latencyMs?: number;
  jitterMs?: number;
  /** Requests per sliding minute before it answers 429 like Datamart. */
  ratePerMinute?: number;
  apiKey?: string;
  /** DataSell's Datamart wallet before the first purchase, GHS (default 1,000). */
  startingBalance?: number;
  /** What `GET /delivery-tracker` says in its `message`; none by default. */
  trackerMessage?: string;
}

/** One movement of DataSell's Datamart wallet, as `GET /transactions` lists it. */
export interface LedgerMovement {
  type: string;
  amount: number;
  status: string;
  reference: string;
  gateway?: string;
  createdAt: string;
  orderId?: string;
}

export interface RecordedRequest {
  reference: string;
  at: number;
  status: number;
}

/**
 * A stand-in for Datamart's developer API on 127.0.0.1: `GET /api/developer/order-status/:ref`,
 * `GET /transactions?page&limit`, `GET /balance` and `GET /delivery-tracker` in Datamart's envelope, with latency, a rate limit
 * that answers 429 with Retry-After and a `rateLimit` block, 404 for unknown references, and canned
 * failures. It keeps a wallet ledger as Datamart does: every order added is a purchase charged to
 * the wallet, and an order that turns failed or refunded is credited back. It records every request
 * and the most requests it had in flight at once.
 */
export class DatamartStandIn {
  readonly requests: RecordedRequest[] = [];
  /** The wallet's movements, oldest first. */
  readonly ledger: LedgerMovement[] = [];
  maxInFlight = 0;
  private inFlight = 0;
  private readonly orders = new Map<string, StandInOrder>();
  private readonly windowStarts: number[] = [];
  private cannedReplies: CannedReply[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private outage: CannedReply | undefined;

  private server!: RunningServer;

  /** The options it started with, which `reset()` restores. */
  private readonly startOptions: DatamartStandInOptions;

  private constructor(readonly options: DatamartStandInOptions) {
    this.startOptions = { ...options };
  }

  static async start(options: DatamartStandInOptions = {}): Promise<DatamartStandIn> {
    const standIn = new DatamartStandIn(options);
    standIn.server = await listen(
      (req, body, res) =>
        req.url?.startsWith("/_standin/")
          ? standIn.control(req.method ?? "GET", req.url, body, res)
          : standIn.handle(req.method ?? "GET", req.url ?? "/", req.headers["x-api-key"], res),
      options.port,
    );
    return standIn;
  }

  get baseUrl(): string {
    return `http://${HOST}:${this.server.port}/api/developer`;
  }

  /** Adds an order; with `progress`, it moves on by itself as `options.progression` says. */
  addOrder(details: StandInOrder, progress = false): void {
    const order = {
      phoneNumber: "0241234567",
      network: "YELLO",
      capacity: "1",
      price: 6,
      ...details,
    };
    for (const key of [order.orderId, order.orderReference, order.transactionReference]) {
      this.orders.set(key, order);
    }
    this.record("purchase", order);
    const progression = this.options.progression;
    if (progress && progression) {
      const final = Math.random() < progression.failShare ? "failed" : "completed";
      const steps = ["pending", "processing", final];
      this.schedule(order, steps.slice(steps.indexOf(order.status) + 1), progression);
    }
  }

  /** Sets the status of the order known by any of its references. */
  setStatus(reference: string, status: string): void {
    const order = this.orders.get(reference);
    if (!order) throw new Error(`The stand-in does not know ${reference}`);
    const credited = ["failed", "refunded"];
    if (credited.includes(status) && !credited.includes(order.status)) this.record("refund", order);
    order.status = status;
    this.options.onStatus?.(order);
    const webhook = this.options.webhook;
    if (webhook && WEBHOOK_EVENT[status]) {
      const event = WEBHOOK_EVENT[status];
      const snapshot = { ...order };
      const send = () =>
        sendWebhook(webhook.url, webhook.secret, event, snapshot).catch((error: unknown) =>
          webhook.onError?.(error),
        );
      if (webhook.deliver) webhook.deliver(send, snapshot);
      else void send();
    }
  }

  private schedule(order: StandInOrder, steps: string[], progression: Progression): void {
    const [next, ...rest] = steps;
    if (!next) return;
    const [min, max] = progression.stepMs;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        // A final status set by hand in the meantime wins.
        if (["completed", "failed", "refunded", "cancelled"].includes(order.status)) return;
        this.setStatus(order.orderId, next);
        this.schedule(order, rest, progression);
      },
      min + Math.random() * (max - min),
    );
    this.timers.add(timer);
  }

  /** A movement of the wallet for this order, now. */
  private record(type: "purchase" | "refund", order: StandInOrder): void {
    this.addMovement({
      type,
      amount: order.price ?? 0,
      status: "completed",
      reference: order.transactionReference,
      gateway: "wallet",
      createdAt: new Date().toISOString(),
      orderId: order.orderId,
    });
  }

  /** Adds a movement to the ledger (tests: a charge with no order, a missing refund...). */
  addMovement(movement: LedgerMovement): void {
    this.ledger.push(movement);
  }

  /** Takes a reference's movements out of the ledger (tests: a delivery never charged). */
  removeMovements(reference: string): void {
    const kept = this.ledger.filter((m) => m.reference !== reference);
    this.ledger.splice(0, this.ledger.length, ...kept);
  }

  /** The wallet: the starting balance less purchases, plus refunds. */
  get balance(): number {
    const start = this.options.startingBalance ?? 1_000;
    const pesewas = this.ledger.reduce(
      (sum, m) =>
        sum +
        Math.round((m.type === "purchase" ? -m.amount : m.type === "refund" ? m.amount : 0) * 100),
      Math.round(start * 100),
    );
    return pesewas / 100;
  }

  /** The next requests get these answers, one each, before normal service resumes. */
  replyNext(...replies: CannedReply[]): void {
    this.cannedReplies.push(...replies);
  }

  /** Every request gets this answer until `setOutage(undefined)`. */
  setOutage(reply: CannedReply | undefined): void {
    this.outage = reply;
  }

  setTrackerMessage(message: string | undefined): void {
    this.options.trackerMessage = message;
  }

  setRatePerMinute(perMinute: number | undefined): void {
    this.options.ratePerMinute = perMinute;
  }

  /** Forgets recorded requests, the in-flight peak and the rate-limit window; keeps the orders. */
  resetCounters(): void {
    this.requests.length = 0;
    this.windowStarts.length = 0;
    this.maxInFlight = 0;
  }

  /** Back to how it started: no orders, no ledger, no canned replies, its starting options. */
  reset(): void {
    for (const key of Object.keys(this.options) as (keyof DatamartStandInOptions)[])
      delete this.options[key];
    Object.assign(this.options, this.startOptions);
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    this.orders.clear();
    this.ledger.length = 0;
    this.resetCounters();
    this.cannedReplies = [];
    this.outage = undefined;
  }

  close(): Promise<void> {
    this.timers.forEach(clearTimeout);
    return this.server.close();
  }

  /**
   * Dev controls: `GET /_standin/orders`, `POST /_standin/orders` (a StandInOrder, moved on by the
   * progression), `POST /_standin/orders/:ref/status` (`{"status": "completed"}`).
   */
  private control(
    method: string,
    url: string,
    body: string,
    res: import("node:http").ServerResponse,
  ): void {
    const setStatus = /^\/_standin\/orders\/([^/]+)\/status$/.exec(url);
    if (method === "GET" && url === "/_standin/orders") {
      sendJson(res, 200, [...new Set(this.orders.values())]);
    } else if (method === "POST" && url === "/_standin/orders") {
      const order = JSON.parse(body) as StandInOrder;
      this.addOrder(order, true);
      sendJson(res, 201, order);
    } else if (
      method === "POST" &&
      setStatus &&
      this.orders.has(decodeURIComponent(setStatus[1]))
    ) {
      this.setStatus(
        decodeURIComponent(setStatus[1]),
        String((JSON.parse(body) as { status: unknown }).status),
      );
      sendJson(res, 200, this.orders.get(decodeURIComponent(setStatus[1])));
    } else {
      sendJson(res, 404, { status: "error", message: "Unknown stand-in control or order" });
    }
  }

  private async handle(
    method: string,
    url: string,
    apiKey: string | string[] | undefined,
    res: import("node:http").ServerResponse,
  ): Promise<void> {
    const { pathname, searchParams } = new URL(url, "http://stand-in");
    const match = /^\/api\/developer\/order-status\/([^/?]+)$/.exec(pathname);
    const route = match
      ? (reference: string, at: number) => this.orderReply(reference, at)
      : pathname === "/api/developer/transactions"
        ? () => this.transactionsReply(searchParams)
        : pathname === "/api/developer/balance"
          ? () => this.balanceReply()
          : pathname === "/api/developer/delivery-tracker"
            ? () => this.trackerReply()
            : undefined;
    if (method !== "GET" || !route) {
      sendJson(res, 404, { status: "error", message: "Route not found" });
      return;
    }
    const reference = match ? decodeURIComponent(match[1]) : pathname;
    const at = Date.now();
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const { latencyMs = 0, jitterMs = 0 } = this.options;
      const delay = latencyMs + Math.random() * jitterMs;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      const reply = this.answer(reference, apiKey, at, route);
      this.requests.push({ reference, at, status: reply.httpStatus });
      await sendCanned(res, reply);
    } finally {
      this.inFlight -= 1;
    }
  }

  private answer(
    reference: string,
    apiKey: string | string[] | undefined,
    at: number,
    route: (reference: string, at: number) => CannedReply,
  ): CannedReply {
    const limit = this.options.ratePerMinute;
    if (limit !== undefined) {
      while (this.windowStarts.length > 0 && this.windowStarts[0] <= at - 60_000)
        this.windowStarts.shift();
      if (this.windowStarts.length >= limit) {
        const resetInSeconds = Math.max(1, Math.ceil((this.windowStarts[0] + 60_000 - at) / 1000));
        return json(429, rateLimitedReply(limit, resetInSeconds), {
          "Retry-After": String(resetInSeconds),
        });
      }
      this.windowStarts.push(at);
    }
    const canned = this.cannedReplies.shift() ?? this.outage;
    if (canned) return canned;
    if (this.options.apiKey && apiKey !== this.options.apiKey) {
      return json(401, INVALID_API_KEY);
    }
    return route(reference, at);
  }

  private orderReply(reference: string, at: number): CannedReply {
    const order = this.orders.get(reference);
    if (!order) return json(404, ORDER_NOT_FOUND);
    const limit = this.options.ratePerMinute;
    const rateLimit =
      limit === undefined
        ? undefined
        : { limit, remaining: limit - this.windowStarts.length, resetInSeconds: 60 };
    return json(200, orderStatusReply(order, { rateLimit, at }));
  }

  private transactionsReply(query: URLSearchParams): CannedReply {
    const page = Math.max(1, Number(query.get("page") ?? 1) || 1);
    const limit = Math.max(1, Math.min(100, Number(query.get("limit") ?? 20) || 20));
    return json(200, transactionsPageReply([...this.ledger].reverse(), page, limit));
  }

  private balanceReply(): CannedReply {
    return json(200, balanceReply(this.balance));
  }

  private trackerReply(): CannedReply {
    const orders = [...new Set(this.orders.values())];
    const count = (...statuses: string[]) =>
      orders.filter((o) => statuses.includes(o.status)).length;
    const counts = {
      checked: orders.length,
      delivered: count("completed", "delivered"),
      pending: count("pending", "waiting", "processing"),
      failed: count("failed"),
    };
    return json(200, deliveryTrackerReply(counts, this.options.trackerMessage));
  }
}

function json(httpStatus: number, body: unknown, headers?: Record<string, string>): CannedReply {
  return { httpStatus, body: JSON.stringify(body), headers };
}

const WEBHOOK_EVENT: Readonly<Record<string, string>> = {
  processing: "order.processing",
  completed: "order.completed",
  failed: "order.failed",
  refunded: "order.refunded",
};

/** One signed webhook, as Datamart sends it: HMAC-SHA256 of the body in X-DataMart-Signature. */
async function sendWebhook(
  url: string,
  secret: string,
  event: string,
  order: StandInOrder,
): Promise<void> {
  const now = new Date().toISOString();
  const body = JSON.stringify({
    event,
    timestamp: now,
    data: {
      orderId: order.orderId,
      orderReference: order.orderReference,
      transactionId: order.transactionReference,
      phone: order.phoneNumber,
      network: order.network,
      capacity: order.capacity,
      price: order.price,
      status: order.status,
      createdAt: now,
      updatedAt: now,
    },
  });
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-DataMart-Event": event,
      "X-DataMart-Signature": sign(body, secret),
    },
    body,
  });
  if (!response.ok)
    throw new Error(
      `Webhook ${event} for ${order.orderReference} answered HTTP ${response.status}`,
    );
}
