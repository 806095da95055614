import type { ServerResponse } from "node:http";
import { HOST } from "../emulators";
import { listen, sendJson, type RunningServer } from "./http";

export interface ReceivedPush {
  token: string;
  title?: string;
  body?: string;
  data?: Record<string, string>;
  link?: string;
  at: number;
}

/**
 * A stand-in for FCM's HTTP v1 send endpoint on 127.0.0.1 (there is no FCM emulator):
 * `POST /v1/projects/{project}/messages:send` with `{message: {token, notification, data, webpush}}`.
 * Tokens starting `dead-` answer FCM's 404 UNREGISTERED; an outage answers 503 UNAVAILABLE.
 */
export class FcmStandIn {
  readonly messages: ReceivedPush[] = [];
  private outage = false;
  private server!: RunningServer;

  private constructor(private readonly onMessage?: (push: ReceivedPush) => void) {}

  static async start(options: { port?: number; onMessage?: (push: ReceivedPush) => void } = {}) {
    const standIn = new FcmStandIn(options.onMessage);
    standIn.server = await listen(
      (req, body, res) => standIn.handle(req.method ?? "GET", req.url ?? "/", body, res),
      options.port,
    );
    return standIn;
  }

  get url(): string {
    return `http://${HOST}:${this.server.port}`;
  }

  setOutage(on: boolean): void {
    this.outage = on;
  }

  reset(): void {
    this.messages.length = 0;
    this.outage = false;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private handle(method: string, url: string, body: string, res: ServerResponse): void {
    if (method === "GET" && url === "/_standin/messages") return sendJson(res, 200, this.messages);
    if (method !== "POST" || !/^\/v1\/projects\/[^/]+\/messages:send$/.test(url))
      return fcmError(res, 404, "NOT_FOUND", "Requested entity was not found.");
    if (this.outage)
      return fcmError(res, 503, "UNAVAILABLE", "The service is currently unavailable.");
    const { message } = JSON.parse(body) as {
      message: {
        token: string;
        notification?: { title?: string; body?: string };
        data?: Record<string, string>;
        webpush?: { fcmOptions?: { link?: string } };
      };
    };
    if (message.token.startsWith("dead-"))
      return fcmError(res, 404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED");
    const push: ReceivedPush = {
      token: message.token,
      title: message.notification?.title,
      body: message.notification?.body,
      data: message.data,
      link: message.webpush?.fcmOptions?.link,
      at: Date.now(),
    };
    this.messages.push(push);
    this.onMessage?.(push);
    sendJson(res, 200, { name: `projects/stand-in/messages/${this.messages.length}` });
  }
}

/** FCM v1's error body, with its FcmError detail when there is one. */
function fcmError(
  res: ServerResponse,
  code: number,
  status: string,
  message: string,
  errorCode?: string,
): void {
  sendJson(res, code, {
    error: {
      code,
      message,
      status,
      ...(errorCode
        ? {
            details: [
              { "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode },
            ],
          }
        : {}),
    },
  });
}
