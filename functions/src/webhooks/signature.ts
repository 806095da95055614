import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Whether `signature` is the hex HMAC-SHA256 of the raw body under `secret`, compared in constant
 * time. Never returns or logs the expected value.
 */
export function isValidSignature(
  rawBody: Buffer,
  signature: string | undefined,
  secret: string,
): boolean {
  if (!signature || !secret || !/^[0-9a-f]{64}$/i.test(signature.trim())) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(signature.trim(), "hex"));
}

/** The signature Datamart sends for a body; the stand-in and tests sign with it. */
export function sign(rawBody: Buffer | string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("hex");
}
