import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { createHash } from "node:crypto";
import { z } from "zod";
import { applyStatus, type ApplyOutcome } from "../orders/applyStatus";
import { GrpcStatus, hasGrpcStatus } from "../firestore";
import { rejectionHour } from "../domain/alerts";
import { toDate } from "../domain/order";
import { eventAgreesWithStatus } from "../domain/orderStatus";
import { parseJsonBody } from "../providers/http";
import { logWebhookEvent, logWebhookRejected } from "../logs";
import { findOrderByDatamartIdentity } from "../orders/findByDatamartIdentity";
import { isValidSignature } from "./signature";
import { COLLECTIONS, type WebhookEventRecord } from "../contract";
import { clockOf, dateNow, type Clock } from "../platform/clock";

export const WEBHOOK_EVENTS = [
  "order.created",
  "order.processing",
  "order.completed",
  "order.failed",
  "order.refunded",
] as const;

const text = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .optional()
  .nullable();

const payloadSchema = z.object({
  event: z.string(),
  timestamp: text,
  data: z.looseObject({
    orderId: text,
    orderReference: text,
    transactionId: text,
    status: z.string().trim().min(1),
  }),
});

export interface WebhookDeps {
  db: Firestore;
  secret: string;
  retentionDays: number;
  /** A signed event whose own timestamp is older than this is refused (a replayed capture). */
  maxAgeMinutes: number;
  /** Whether Datamart's failed answer refunds a wallet order (applyStatus). */
  walletRefunds: boolean;
  /** How long a failed order stays under watch (applyStatus); absent: not watched. */
  failedWatchMs?: number;
  clock?: Clock;
}

export interface WebhookRequest {
  rawBody: Buffer;
  signature: string | undefined;
}

export interface WebhookReply {
  httpStatus: 200 | 400 | 401;
  body: { success: boolean; outcome?: string; error?: { code: string; message: string } };
}

type Outcome =
  | ApplyOutcome["kind"]
  | "received"
  | "unmatched"
  | "invalid-payload"
  | "unknown-event"
  | "stale"
  | "event-status-mismatch";

/**
 * `POST /api/datamart-webhook`: verify the signature over the raw body, record the event, apply its
 * status through applyStatus (source `webhook`), reply. Datamart does not retry, so an event for an
 * unknown order still answers 200 (recorded as unmatched for admins); only a bad signature (401), an
 * unusable body, an event whose name contradicts its status or one older than `maxAgeMinutes` (400,
 * recorded) is refused. The record's id is
 * the SHA-256 of the signed body, created once: the same signed body again (a duplicate delivery or a
 * replayed capture) answers 200 `duplicate` and does nothing else.
 */
export async function handleDatamartWebhook(
  deps: WebhookDeps,
  request: WebhookRequest,
): Promise<WebhookReply> {
  if (!isValidSignature(request.rawBody, request.signature, deps.secret)) {
    logWebhookRejected(
      request.signature ? "wrong signature" : "missing signature",
      request.rawBody.length,
    );
    await countRejection(deps);
    return {
      httpStatus: 401,
      body: { success: false, error: { code: "unauthenticated", message: "Invalid signature" } },
    };
  }
  const now = dateNow(clockOf(deps));
  const eventRef = deps.db
    .collection(COLLECTIONS.webhookEvents)
    .doc(createHash("sha256").update(request.rawBody).digest("hex"));
  try {
    await eventRef.create({
      outcome: "received" satisfies Outcome,
      signatureValid: true,
      bodyBytes: request.rawBody.length,
      receivedAt: Timestamp.fromDate(now),
      expireAt: Timestamp.fromMillis(now.getTime() + deps.retentionDays * 86_400_000),
    });
  } catch (error) {
    if (!hasGrpcStatus(error, GrpcStatus.ALREADY_EXISTS)) throw error;
    logWebhookEvent("duplicate", "duplicate");
    return { httpStatus: 200, body: { success: true, outcome: "duplicate" } };
  }
  const record = (fields: Partial<WebhookEventRecord<Timestamp>>, outcome: Outcome) =>
    eventRef.set({ ...fields, outcome }, { merge: true });

  const payload = payloadSchema.safeParse(parseJsonBody(request.rawBody.toString("utf8")));
  if (!payload.success) {
    await record({ bodyBytes: request.rawBody.length }, "invalid-payload");
    return badRequest("invalid-payload", "The body is not a Datamart webhook event");
  }
  const { event, data } = payload.data;
  const fields = {
    event,
    eventTimestamp: payload.data.timestamp ?? null,
    orderId: data.orderId ?? null,
    orderReference: data.orderReference ?? null,
    transactionReference: data.transactionId ?? null,
    status: data.status,
  };
  if (!(WEBHOOK_EVENTS as readonly string[]).includes(event)) {
    await record(fields, "unknown-event");
    return badRequest("unknown-event", `Unknown event ${event}`);
  }
  if (!eventAgreesWithStatus(event, data.status)) {
    await record(fields, "event-status-mismatch");
    logWebhookEvent(event, "event-status-mismatch");
    return badRequest(
      "event-status-mismatch",
      `The event ${event} contradicts its status ${data.status}; the order is left to the poll`,
    );
  }
  const sentAt = toDate(payload.data.timestamp);
  if (sentAt && now.getTime() - sentAt.getTime() > deps.maxAgeMinutes * 60_000) {
    await record(fields, "stale");
    return badRequest("stale-event", `The event is older than ${deps.maxAgeMinutes} minutes`);
  }

  const order = await findOrderByDatamartIdentity(deps.db, {
    orderId: data.orderId ?? undefined,
    orderReference: data.orderReference ?? undefined,
    transactionReference: data.transactionId ?? undefined,
  });
  if (!order) {
    await record(fields, "unmatched");
    logWebhookEvent(event, "unmatched");
    return { httpStatus: 200, body: { success: true, outcome: "unmatched" } };
  }
  const outcome = await applyStatus(
    deps.db,
    order,
    { datamartStatus: data.status, source: "webhook", at: now },
    deps,
  );
  await record({ ...fields, transactionId: order.id }, outcome.kind);
  logWebhookEvent(event, outcome.kind, order.id);
  return { httpStatus: 200, body: { success: true, outcome: outcome.kind } };
}

function badRequest(code: string, message: string): WebhookReply {
  return { httpStatus: 400, body: { success: false, error: { code, message } } };
}

/**
 * Counts a refused signature in its hour, for the operators' alert on a spike; one small document an
 * hour, deleted by TTL. Counting never changes the answer: a failed count is only logged.
 */
async function countRejection(deps: WebhookDeps): Promise<void> {
  const now = dateNow(clockOf(deps));
  await deps.db
    .collection(COLLECTIONS.webhookRejections)
    .doc(rejectionHour(now.getTime()))
    .set(
      {
        count: FieldValue.increment(1),
        expireAt: Timestamp.fromMillis(now.getTime() + deps.retentionDays * 86_400_000),
      },
      { merge: true },
    )
    .catch((error: unknown) => logWebhookRejected(`not counted: ${String(error)}`, 0));
}
