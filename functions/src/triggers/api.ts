import { getAuth } from "firebase-admin/auth";
import type { Response } from "express";
import { onRequest, type Request } from "firebase-functions/v2/https";
import {
  API_TIMEOUT_SECONDS,
  apiMaxInstances,
  datamartApiKey,
  datamartWebhookSecret,
} from "../deployConfig";
import { AppError } from "../errors";
import { defaultApp, storeDeps } from "../firestore";
import { orderStatusDeps, webhookDeps } from "../wiring";
import type { Caller } from "../domain/caller";
import { checkOrderStatus } from "../orders/orderStatusQuery";
import { syncForAdmin } from "../sync/adminSync";
import { handleDatamartWebhook } from "../webhooks/datamartWebhook";
import { currentCaller, requireAdmin } from "./caller";
import { HTTP_STATUS, publicError } from "./clientErrors";

type Reply = { status: number; body: unknown };

interface Route {
  method: "GET" | "POST";
  path: RegExp;
  handle(req: Request, params: string[]): Promise<Reply>;
}

/** Routes for signed-in DataSell users: the Firebase ID token is verified first. */
const asCaller =
  (handle: (caller: Caller, params: string[], req: Request) => Promise<unknown>) =>
  async (req: Request, params: string[]): Promise<Reply> => ({
    status: 200,
    body: await handle(await verifiedCaller(req.headers.authorization), params, req),
  });

// Paths work on the function's own URL (`/order-status/ID`) and behind a Hosting rewrite of
// `/api/**` (`/api/order-status/ID`).
const ROUTES: readonly Route[] = [
  {
    method: "GET",
    path: /^\/order-status\/([^/]+)\/?$/,
    handle: asCaller((caller, [transactionId], req) =>
      checkOrderStatus(orderStatusDeps(), caller, {
        transactionId,
        refresh: req.query.refresh === "true" || undefined,
      }),
    ),
  },
  {
    method: "POST",
    path: /^\/admin\/sync-datamart-orders\/?$/,
    handle: asCaller((caller) => {
      requireAdmin(caller, "trigger a sync");
      return syncForAdmin(storeDeps(), caller.uid);
    }),
  },
  {
    // Datamart, not a user: authenticated by the signature over the raw body.
    method: "POST",
    path: /^\/datamart-webhook\/?$/,
    handle: async (req) => {
      const reply = await handleDatamartWebhook(webhookDeps(), {
        rawBody: req.rawBody,
        signature: req.get("X-DataMart-Signature"),
      });
      return { status: reply.httpStatus, body: reply.body };
    },
  },
];

/** A path segment's percent-escapes decoded; a broken escape is the client's error, not ours. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AppError("invalid-argument", "The path holds a broken percent-escape");
  }
}

async function verifiedCaller(header: string | undefined): Promise<Caller> {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (!token)
    throw new AppError(
      "unauthenticated",
      "Send a Firebase ID token: Authorization: Bearer <token>",
    );
  const decoded = await getAuth(defaultApp())
    .verifyIdToken(token)
    .catch(() => {
      throw new AppError("unauthenticated", "The ID token is invalid or expired");
    });
  return currentCaller(decoded);
}

function sendError(res: Response, error: unknown): void {
  const { code, message, retryAfterSeconds } = publicError(error, "api");
  if (retryAfterSeconds) res.set("Retry-After", String(retryAfterSeconds));
  res.status(HTTP_STATUS[code]).json({ success: false, error: { code, message } });
}

/** The HTTPS API: one small router for the order-status, admin-sync and Datamart webhook routes. */
export async function handleApiRequest(req: Request, res: Response): Promise<void> {
  const path = req.path.replace(/^\/api(?=\/)/, "");
  const matching = ROUTES.map((route) => ({ route, match: route.path.exec(path) })).filter(
    (m) => m.match,
  );
  if (matching.length === 0) {
    res
      .status(404)
      .json({ success: false, error: { code: "not-found", message: "No such route" } });
    return;
  }
  const found = matching.find((m) => m.route.method === req.method);
  if (!found?.match) {
    res.set("Allow", matching.map((m) => m.route.method).join(", "));
    res.status(405).json({
      success: false,
      error: { code: "method-not-allowed", message: `Use ${res.get("Allow")}` },
    });
    return;
  }
  try {
    const reply = await found.route.handle(req, found.match.slice(1).map(decodePathSegment));
    res.status(reply.status).json(reply.body);
  } catch (error) {
    sendError(res, error);
  }
}

export const api = onRequest(
  {
    secrets: [datamartApiKey, datamartWebhookSecret],
    timeoutSeconds: API_TIMEOUT_SECONDS,
    maxInstances: apiMaxInstances,
  },
  handleApiRequest,
);
