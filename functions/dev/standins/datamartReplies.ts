/*
 * Datamart's answer bodies, as its documentation and real integrations show them (see
 * shared/providers.md): one description for the stand-in's HTTP server and for the unit tests' nock
 * replies, so the two cannot drift apart.
 */

export interface RateLimitBlock {
  limit: number;
  remaining: number;
  resetInSeconds: number;
}

/** What `GET /order-status/:reference` answers about a known order. */
export function orderStatusReply(
  order: {
    orderId: string;
    orderReference: string;
    status: unknown;
    phoneNumber?: string;
    network?: string;
    capacity?: string;
    price?: number;
  },
  options: { rateLimit?: RateLimitBlock; at?: number } = {},
): object {
  const at = options.at ?? Date.now();
  return {
    status: "success",
    data: {
      orderId: order.orderId,
      reference: order.orderReference,
      phoneNumber: order.phoneNumber,
      network: order.network,
      capacity: order.capacity,
      price: order.price,
      orderStatus: order.status,
      processingMethod: "api",
      createdAt: new Date(at - 60_000).toISOString(),
      updatedAt: new Date(at).toISOString(),
    },
    rateLimit: options.rateLimit,
  };
}

/** Datamart's error envelope (`status: "error"` with a message and, at times, more fields). */
export const errorReply = (message?: string, extra: object = {}): object => ({
  status: "error",
  ...(message === undefined ? {} : { message }),
  ...extra,
});

export const ORDER_NOT_FOUND = errorReply("Order not found");
export const INVALID_API_KEY = errorReply("Invalid API key");

/** The 429 body: the wait is in `rateLimit.resetInSeconds` (and the `Retry-After` header). */
export const rateLimitedReply = (limit: number, resetInSeconds: number): object =>
  errorReply("Rate limit exceeded", { rateLimit: { limit, remaining: 0, resetInSeconds } });

/** One page of `GET /transactions`, newest first as given. */
export function transactionsPageReply(
  movements: readonly object[],
  page: number,
  limit: number,
): object {
  const totalPages = Math.max(1, Math.ceil(movements.length / limit));
  return {
    status: "success",
    data: {
      transactions: movements.slice((page - 1) * limit, page * limit),
      pagination: { currentPage: page, totalPages, totalItems: movements.length },
    },
  };
}

/** `GET /balance`: DataSell's Datamart wallet. */
export function balanceReply(balance: number, at = Date.now()): object {
  return {
    status: "success",
    data: {
      balance,
      currency: "GHS",
      user: { id: "datasell", name: "DataSell", email: "ops@datasell.demo" },
      timestamp: new Date(at).toISOString(),
    },
  };
}

/**
 * `GET /delivery-tracker`: the scanner's state, counts of the orders it checked, and its message
 * (providers.md quotes "Yello portal is processing orders steadily. Estimated delivery: 1-2 hours").
 * Datamart documents no more of its shape than that; this is the stand-in's reading of it.
 */
export function deliveryTrackerReply(
  counts: { checked: number; delivered: number; pending: number; failed: number },
  message: string | undefined,
  at = Date.now(),
): object {
  return {
    status: "success",
    data: {
      scanner: { state: "running", lastScanAt: new Date(at).toISOString() },
      counts,
      ...(message === undefined ? {} : { message }),
    },
  };
}
