/** What went wrong talking to a provider, in words a caller can act on. */
export type ProviderErrorKind =
  | "timeout"
  | "network"
  | "server"
  | "rate-limited"
  | "auth"
  | "not-found"
  | "rejected"
  | "bad-response";

const TRANSIENT_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  "timeout",
  "network",
  "server",
  "rate-limited",
]);

/**
 * An error from an external provider (Datamart, mNotify). `transient` says whether trying again
 * later can help. `body` keeps the provider's raw answer for diagnosis; it never holds our keys.
 */
export class ProviderError extends Error {
  readonly transient: boolean;

  constructor(
    readonly provider: "datamart" | "mnotify",
    readonly kind: ProviderErrorKind,
    message: string,
    readonly details: {
      status?: number;
      code?: string;
      retryAfterMs?: number;
      body?: unknown;
      cause?: unknown;
      transient?: boolean;
    } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = "ProviderError";
    this.transient = details.transient ?? TRANSIENT_KINDS.has(kind);
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
}
