import type { AxiosInstance } from "axios";
import { z } from "zod";
import { ProviderError } from "./providerError";
import { jsonHttpClient, overloadOrServerError, parseJsonBody, transportError } from "./http";

export interface DatamartOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

const rateLimitSchema = z
  .object({ limit: z.number(), remaining: z.number(), resetInSeconds: z.number() })
  .partial()
  .optional()
  .catch(undefined);

const envelopeSchema = z.looseObject({
  status: z.enum(["success", "error"]),
  message: z.string().optional(),
  data: z.unknown().optional(),
  rateLimit: rateLimitSchema,
});

const orderStatusDataSchema = z.looseObject({
  orderStatus: z.string().trim().min(1),
  orderId: z.string().optional(),
  reference: z.string().optional(),
  updatedAt: z.string().optional(),
});

export interface DatamartOrderStatus {
  /** The reference Datamart answered for. */
  reference: string;
  /** Datamart's raw order status, e.g. `completed` (never the envelope's `success`). */
  orderStatus: string;
  /** The whole `data` object, kept for diagnosis. */
  data: Record<string, unknown>;
}

/**
 * One wallet movement. `status: completed` on a purchase means the wallet was charged, not that the
 * data was delivered. Types other than purchases are not documented: kept as Datamart names them.
 */
const transactionSchema = z.looseObject({
  type: z.string().trim().min(1),
  amount: z.coerce.number().refine(Number.isFinite),
  status: z.string().optional(),
  reference: z.string().optional(),
  gateway: z.string().optional(),
  createdAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "createdAt is not a date"),
  orderId: z.string().optional(),
  purchaseId: z.string().optional(),
});
export type DatamartTransaction = z.infer<typeof transactionSchema>;

const transactionPageSchema = z.object({
  transactions: z.array(transactionSchema),
  pagination: z.looseObject({
    currentPage: z.coerce.number(),
    totalPages: z.coerce.number(),
    totalItems: z.coerce.number().optional(),
  }),
});
export type DatamartTransactionPage = z.infer<typeof transactionPageSchema>;

const balanceSchema = z.looseObject({
  balance: z.coerce.number().refine(Number.isFinite),
  currency: z.string().optional(),
  timestamp: z.string().optional(),
});
export type DatamartBalance = z.infer<typeof balanceSchema>;

/**
 * `GET /delivery-tracker`: Datamart's scanner state, counts and a message such as "Yello portal is
 * processing orders steadily. Estimated delivery: 1-2 hours". Only the message is used; its shape is
 * not documented beyond that, so anything else is kept as it comes.
 */
const deliveryTrackerSchema = z.looseObject({ message: z.string().optional() });
export interface DatamartDeliveryTracker {
  /** The tracker's message; null when it gave none. */
  message: string | null;
}

/** The adapter for Datamart's developer API: timeouts, auth, response parsing, typed errors. */
export class DatamartClient {
  private readonly http: AxiosInstance;

  constructor(options: DatamartOptions) {
    this.http = jsonHttpClient({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      headers: { "X-API-Key": options.apiKey },
    });
  }

  /** `GET /order-status/:reference`. Throws ProviderError. */
  async fetchOrderStatus(reference: string): Promise<DatamartOrderStatus> {
    const { data, status, body } = await this.get(
      `/order-status/${encodeURIComponent(reference)}`,
      {
        notFound: "Datamart does not know this reference",
      },
    );
    const parsed = orderStatusDataSchema.safeParse(data);
    if (!parsed.success) throw badResponse("Datamart's answer has no order status", status, body);
    return { reference, orderStatus: parsed.data.orderStatus, data: parsed.data };
  }

  /** `GET /transactions?page&limit`: one page of the account's wallet movements, newest first. */
  async fetchTransactions(page: number, limit: number): Promise<DatamartTransactionPage> {
    const { data, status, body } = await this.get(`/transactions?page=${page}&limit=${limit}`);
    const parsed = transactionPageSchema.safeParse(data);
    if (!parsed.success)
      throw badResponse("Datamart's transaction list does not parse", status, body);
    return parsed.data;
  }

  /** `GET /balance`: DataSell's pre-funded Datamart wallet. */
  async fetchBalance(): Promise<DatamartBalance> {
    const { data, status, body } = await this.get("/balance");
    const parsed = balanceSchema.safeParse(data);
    if (!parsed.success) throw badResponse("Datamart's balance does not parse", status, body);
    return parsed.data;
  }

  /** `GET /delivery-tracker`: the message Datamart shows about its delivery times right now. */
  async fetchDeliveryTracker(): Promise<DatamartDeliveryTracker> {
    const { data, status, body } = await this.get("/delivery-tracker");
    const parsed = deliveryTrackerSchema.safeParse(data ?? {});
    if (!parsed.success)
      throw badResponse("Datamart's delivery tracker does not parse", status, body);
    return { message: parsed.data.message?.trim() || null };
  }

  /** One GET in Datamart's envelope: its `data`, or a typed ProviderError. */
  private async get(
    path: string,
    messages: { notFound?: string } = {},
  ): Promise<{ data: unknown; status: number; body: unknown }> {
    let response;
    try {
      response = await this.http.get<string>(path);
    } catch (error) {
      throw transportError("datamart", error);
    }
    const body = parseJsonBody(response.data);
    const envelope = envelopeSchema.safeParse(body);
    const { status } = response;

    const overloaded = overloadOrServerError(
      "datamart",
      response,
      body,
      secondsToMs(envelope.data?.rateLimit?.resetInSeconds),
    );
    if (overloaded) throw overloaded;
    if (status === 401 || status === 403) {
      throw new ProviderError("datamart", "auth", `Datamart refused the API key (HTTP ${status})`, {
        status,
        body,
      });
    }
    if (status === 404) {
      throw new ProviderError(
        "datamart",
        "not-found",
        messages.notFound ?? "Datamart does not know this route",
        { status, body },
      );
    }
    if (!envelope.success) throw badResponse("Datamart answered an unexpected body", status, body);
    if (envelope.data.status === "error" || status >= 400) {
      throw new ProviderError(
        "datamart",
        "rejected",
        `Datamart rejected the request: ${envelope.data.message ?? `HTTP ${status}`}`,
        { status, body },
      );
    }
    return { data: envelope.data.data, status, body };
  }

  /**
   * Asks with each reference in turn: a 404 for one form is worth one try with the next form
   * (real orders hold the purchase id, the `GN-…` and the `TRX-…` reference). Throws the last error.
   * `beforeEachRequest` lets a caller throttle every request, fallbacks included.
   */
  async getOrderStatusByAnyReference(
    references: readonly string[],
    beforeEachRequest: () => Promise<void> = () => Promise.resolve(),
  ): Promise<DatamartOrderStatus> {
    let lastError: unknown = new ProviderError(
      "datamart",
      "not-found",
      "The order has no Datamart reference",
    );
    for (const reference of references) {
      try {
        await beforeEachRequest();
        return await this.fetchOrderStatus(reference);
      } catch (error) {
        if (!(error instanceof ProviderError && error.kind === "not-found")) throw error;
        lastError = error;
      }
    }
    throw lastError;
  }
}

function badResponse(message: string, status: number, body: unknown): ProviderError {
  return new ProviderError("datamart", "bad-response", message, { status, body });
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.max(0, seconds * 1000);
}
