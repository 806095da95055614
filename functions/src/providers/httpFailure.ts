import { AxiosError } from "axios";
import { ProviderError } from "./providerError";

type Provider = ProviderError["provider"];

/** Turns an axios failure that carries no HTTP answer (timeout, refused, reset) into a ProviderError. */
export function transportError(provider: Provider, error: unknown): ProviderError {
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
  return new ProviderError(provider, "network", `${provider} request failed`, { cause: error });
}

/** Seconds from a `Retry-After` header (seconds or an HTTP date), as milliseconds. */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
  if (typeof header !== "string" || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
