import {
  FieldValue,
  Timestamp,
  type DocumentSnapshot,
  type Firestore,
} from "firebase-admin/firestore";
import { z } from "zod";
import { applyStatus, type ApplyOutcome } from "../orders/applyStatus";
import { isFinalStatus } from "../domain/orderStatus";
import { SYNC_FIELDS } from "../domain/syncFields";
import { COLLECTIONS, ignoreIfMoved } from "../firestore";
import { parseJsonBody } from "../providers/http";
import { logWebhookEvent, logWebhookRejected } from "../logs";
import { findOrderByDatamartIdentity } from "../orders/findByDatamartIdentity";
import { isValidSignature } from "./signature";

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
  pollDelayMinutes: number;
  /** Whether Datamart's failed answer refunds a wallet order (applyStatus). */
  walletRefunds: boolean;
  now?: () => Date;
}

export interface WebhookRequest {
  rawBody: Buffer;
  signature: string | undefined;
}

export interface WebhookReply {
  httpStatus: 200 | 400 | 401;
  body: { success: boolean; outcome?: string; error?: { code: string; message: string } };
}

type Outcome = ApplyOutcome["kind"] | "unmatched" | "invalid-payload" | "unknown-event";

/**
 * `POST /api/datamart-webhook`: verify the signature over the raw body, record the event, apply its
 * status through applyStatus (source `webhook`), reply. Datamart does not retry, so an event for an
 * unknown order still answers 200 (recorded as unmatched for admins); only a bad signature (401) or
 * an unusable body (400, recorded) is refused.
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
    return {
      httpStatus: 401,
      body: { success: false, error: { code: "unauthenticated", message: "Invalid signature" } },
    };
  }
  const now = deps.now?.() ?? new Date();
  const record = (fields: Record<string, unknown>, outcome: Outcome) =>
    deps.db.collection(COLLECTIONS.webhookEvents).add({
      ...fields,
      outcome,
      signatureValid: true,
      receivedAt: Timestamp.fromDate(now),
      expireAt: Timestamp.fromMillis(now.getTime() + deps.retentionDays * 86_400_000),
    });

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
  if (outcome.kind === "unchanged" || outcome.kind === "unknown-status")
    await deferPoll(order, deps, now);
  await record({ ...fields, transactionId: order.id }, outcome.kind);
  logWebhookEvent(event, outcome.kind, order.id);
  return { httpStatus: 200, body: { success: true, outcome: outcome.kind } };
}

/** Datamart just told us about this open order: the poll need not ask again for a while. */
async function deferPoll(order: DocumentSnapshot, deps: WebhookDeps, now: Date): Promise<void> {
  if (isFinalStatus(order.get("status"))) return;
  const until = Timestamp.fromMillis(now.getTime() + deps.pollDelayMinutes * 60_000);
  const current = order.get(SYNC_FIELDS.nextCheckAt) as Timestamp | undefined;
  if (current && current.toMillis() >= until.toMillis()) return;
  await ignoreIfMoved(
    order.ref.update(
      {
        [SYNC_FIELDS.nextCheckAt]: until,
        [SYNC_FIELDS.lane]: (order.get(SYNC_FIELDS.lane) as string | undefined) ?? "fresh",
        [SYNC_FIELDS.lastCheckedAt]: Timestamp.fromDate(now),
        [SYNC_FIELDS.lastError]: FieldValue.delete(),
      },
      { lastUpdateTime: order.updateTime! },
    ),
  );
}

function badRequest(code: string, message: string): WebhookReply {
  return { httpStatus: 400, body: { success: false, error: { code, message } } };
}
