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
    let response;
    try {
      response = await this.http.get<string>(`/order-status/${encodeURIComponent(reference)}`);
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
      throw new ProviderError("datamart", "not-found", "Datamart does not know this reference", {
        status,
        body,
      });
    }
    if (!envelope.success) {
      throw new ProviderError("datamart", "bad-response", "Datamart answered an unexpected body", {
        status,
        body,
      });
    }
    if (envelope.data.status === "error" || status >= 400) {
      throw new ProviderError(
        "datamart",
        "rejected",
        `Datamart rejected the request: ${envelope.data.message ?? `HTTP ${status}`}`,
        { status, body },
      );
    }
    const data = orderStatusDataSchema.safeParse(envelope.data.data);
    if (!data.success) {
      throw new ProviderError("datamart", "bad-response", "Datamart's answer has no order status", {
        status,
        body,
      });
    }
    return { reference, orderStatus: data.data.orderStatus, data: data.data };
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

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.max(0, seconds * 1000);
}
