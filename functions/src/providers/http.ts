import axios, { AxiosError, type AxiosInstance } from "axios";
import { ProviderError } from "./providerError";

type Provider = ProviderError["provider"];

/**
 * Turns an axios failure that carries no HTTP answer (timeout, refused, reset) into a ProviderError.
 * Anything else is a bug, not a provider's trouble: it is returned as it is, never as a transient
 * network error that a caller would retry.
 */
export function transportError(provider: Provider, error: unknown): unknown {
  if (error instanceof AxiosError) {
    // The message and cause are rebuilt from the code alone: axios errors carry the request URL,
    // and mNotify's URL carries the API key.
    const code = error.code ?? "UNKNOWN";
    const timedOut = code === "ECONNABORTED" || code === "ETIMEDOUT";
    return new ProviderError(
      provider,
      timedOut ? "timeout" : "network",
      `${provider} ${timedOut ? "timed out" : "unreachable"} (${code})`,
      { code },
    );
  }
  return error;
}

/** Seconds from a `Retry-After` header (seconds or an HTTP date), as milliseconds. */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
  if (typeof header !== "string" || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * An axios instance for a JSON provider API that never throws on an HTTP status and keeps the raw
 * body text: each adapter judges every answer itself, by status and body.
 */
export function jsonHttpClient(options: {
  baseUrl: string;
  timeoutMs: number;
  headers?: Record<string, string>;
}): AxiosInstance {
  return axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ""),
    timeout: options.timeoutMs,
    headers: { Accept: "application/json", ...options.headers },
    validateStatus: () => true,
    responseType: "text",
    transitional: { silentJSONParsing: true, forcedJSONParsing: false },
  });
}

/** The body as JSON when it is JSON, else as it came (kept for diagnosis). */
export function parseJsonBody(text: unknown): unknown {
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The answers every provider gives alike, as transient errors: 429 (with the wait from Retry-After,
 * else the provider's own hint) and 5xx. `undefined` for any other answer.
 */
export function overloadOrServerError(
  provider: Provider,
  response: { status: number; headers: Record<string, unknown> },
  body: unknown,
  hintedWaitMs?: number,
): ProviderError | undefined {
  const { status } = response;
  const name = provider === "datamart" ? "Datamart" : "mNotify";
  if (status === 429) {
    const wait = retryAfterMs(response.headers["retry-after"]) ?? hintedWaitMs;
    return new ProviderError(provider, "rate-limited", `${name} rate limit reached`, {
      status,
      retryAfterMs: wait,
      body,
    });
  }
  if (status >= 500)
    return new ProviderError(provider, "server", `${name} answered HTTP ${status}`, {
      status,
      body,
    });
  return undefined;
}
