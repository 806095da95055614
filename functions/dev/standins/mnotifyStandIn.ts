import type { ServerResponse } from "node:http";
import { HOST } from "../emulators";
import { listen, sendCanned, sendJson, type CannedReply, type RunningServer } from "./http";

export interface ReceivedSms {
  recipient: string;
  sender: string;
  message: string;
  campaignId: string;
  at: number;
}

/**
 * A fault after mNotify took the message (it is kept, so it counts as sent): the answer comes late
 * (after the client's timeout), the connection is reset, or mNotify answers an HTTP error anyway.
 */
export type AcceptedFault =
  { kind: "late"; delayMs: number } | { kind: "reset" } | { kind: "status"; httpStatus: number };

/** The status a campaign's delivery report gives a message. */
export type ReportStatus = "DELIVERED" | "SUBMITTED" | "UNDELIVERED" | "FAILED" | "REJECTED";
const REPORT_STATUSES: readonly string[] = [
  "DELIVERED",
  "SUBMITTED",
  "UNDELIVERED",
  "FAILED",
  "REJECTED",
];

export interface MnotifyStandInOptions {
  port?: number;
  apiKey?: string;
  /** Sender ids registered with the account; others answer 4014. */
  registeredSenders?: string[];
  /** SMS credit left; at 0 it answers 4004. */
  credit?: number;
  onMessage?: (sms: ReceivedSms) => void;
}

/**
 * A stand-in for mNotify's BMS API v2 on 127.0.0.1: `POST /api/sms/quick?key=` with mNotify's codes
 * and `summary`. It keeps every accepted message, and can be told to fail (canned answers, outages).
 */
export class MnotifyStandIn {
  readonly messages: ReceivedSms[] = [];
  /** Every request, accepted or not. */
  requests = 0;
  private cannedReplies: CannedReply[] = [];
  private acceptedFaults: AcceptedFault[] = [];
  private outage: CannedReply | undefined;
  /** What the delivery report says of every message (DELIVERED unless told otherwise). */
  reportStatus: ReportStatus = "DELIVERED";
  private server!: RunningServer;

  private constructor(readonly options: MnotifyStandInOptions) {}

  static async start(options: MnotifyStandInOptions = {}): Promise<MnotifyStandIn> {
    const standIn = new MnotifyStandIn(options);
    standIn.server = await listen(
      (req, body, res) => standIn.handle(req.method ?? "GET", req.url ?? "/", body, res),
      options.port,
    );
    return standIn;
  }

  get baseUrl(): string {
    return `http://${HOST}:${this.server.port}/api`;
  }

  replyNext(...replies: CannedReply[]): void {
    this.cannedReplies.push(...replies);
  }

  /** The next accepted messages meet these faults, one each. */
  acceptThen(...faults: AcceptedFault[]): void {
    this.acceptedFaults.push(...faults);
  }

  setOutage(reply: CannedReply | undefined): void {
    this.outage = reply;
  }

  reset(): void {
    this.messages.length = 0;
    this.requests = 0;
    this.cannedReplies = [];
    this.acceptedFaults = [];
    this.outage = undefined;
    this.reportStatus = "DELIVERED";
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private async handle(
    method: string,
    url: string,
    body: string,
    res: ServerResponse,
  ): Promise<void> {
    const parsed = new URL(url, "http://stand-in");
    // Dev controls: the messages kept, and an outage switch (`{"httpStatus": 503}`, or
    // `{"code": "4004"}` for an mNotify error code; DELETE to end it).
    if (method === "GET" && parsed.pathname === "/_standin/messages") {
      sendJson(res, 200, this.messages);
      return;
    }
    if (parsed.pathname === "/_standin/outage" && (method === "POST" || method === "DELETE")) {
      const { httpStatus = 503, code } = (method === "POST" && body ? JSON.parse(body) : {}) as {
        httpStatus?: number;
        code?: string;
      };
      this.setOutage(
        method === "DELETE"
          ? undefined
          : code
            ? {
                httpStatus: 200,
                body: JSON.stringify({ status: "error", code, message: "Stand-in failure" }),
              }
            : { httpStatus, body: JSON.stringify({ status: "error", message: "Stand-in outage" }) },
      );
      sendJson(res, 200, { outage: method === "POST" });
      return;
    }
    const report = /^\/api\/campaign\/([^/]+)\/([A-Z]+)$/.exec(parsed.pathname);
    if (method === "GET" && report && REPORT_STATUSES.includes(report[2])) {
      if (this.options.apiKey && parsed.searchParams.get("key") !== this.options.apiKey)
        return sendJson(res, 200, { status: "error", code: "1004", message: "Invalid API key" });
      const listed = this.messages.filter(
        (m) => m.campaignId === report[1] && this.reportStatus === report[2],
      );
      sendJson(res, 200, {
        status: "success",
        code: "2000",
        report: listed.map((m) => ({ recipient: m.recipient, status: report[2] })),
      });
      return;
    }
    if (method === "POST" && /^\/api\/senderid\/status\/?$/.test(parsed.pathname)) {
      if (this.options.apiKey && parsed.searchParams.get("key") !== this.options.apiKey)
        return sendJson(res, 200, { status: "error", code: "1004", message: "Invalid API key" });
      const { sender_name: name } = JSON.parse(body || "{}") as { sender_name?: string };
      const registered = (this.options.registeredSenders ?? ["DataSell"]).includes(String(name));
      sendJson(res, 200, {
        status: "success",
        code: "2000",
        summary: { sender_name: name, status: registered ? "Approved" : "Pending" },
      });
      return;
    }
    if (method !== "POST" || parsed.pathname !== "/api/sms/quick") {
      sendJson(res, 404, { status: "error", message: "Route not found" });
      return;
    }
    this.requests += 1;
    const canned = this.cannedReplies.shift() ?? this.outage;
    if (canned) {
      await sendCanned(res, canned);
      return;
    }
    const fail = (code: string, message: string) =>
      sendJson(res, 200, { status: "error", code, message });
    if (this.options.apiKey && parsed.searchParams.get("key") !== this.options.apiKey)
      return fail("1004", "Invalid API key");
    let request: { recipient?: unknown; sender?: unknown; message?: unknown };
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      return fail("4001", "Invalid request body");
    }
    const { recipient, sender, message } = request;
    if (
      !Array.isArray(recipient) ||
      recipient.length === 0 ||
      typeof sender !== "string" ||
      !sender ||
      typeof message !== "string" ||
      !message
    ) {
      return fail("4001", "Recipient, sender and message are required");
    }
    if (/^\d+$/.test(sender)) return fail("4000", "Numeric sender id not allowed");
    if (sender.length > 11) return fail("4003", "Sender id must not exceed 11 characters");
    if (this.options.registeredSenders && !this.options.registeredSenders.includes(sender))
      return fail("4014", "Sender id not registered");
    const numbers = recipient.map(String);
    if (numbers.some((n) => !/^(233\d{9}|0\d{9})$/.test(n)))
      return fail("1005", "Invalid phone number");
    if (this.options.credit !== undefined && this.options.credit < numbers.length)
      return fail("4004", "Insufficient SMS credit");
    if (this.options.credit !== undefined) this.options.credit -= numbers.length;

    const campaignId = `standin-${Date.now().toString(36)}-${this.messages.length + 1}`;
    for (const number of numbers) {
      const sms = { recipient: number, sender, message, campaignId, at: Date.now() };
      this.messages.push(sms);
      this.options.onMessage?.(sms);
    }
    const fault = this.acceptedFaults.shift();
    if (fault?.kind === "reset") {
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === "status") {
      sendJson(res, fault.httpStatus, { status: "error", message: "Internal server error" });
      return;
    }
    if (fault?.kind === "late") await new Promise((r) => setTimeout(r, fault.delayMs));
    if (res.destroyed) return;
    sendJson(res, 200, {
      status: "success",
      code: "2000",
      message: "messages sent successfully",
      summary: {
        _id: campaignId,
        message_id: `msg-${campaignId}`,
        type: "API QUICK SMS",
        total_sent: numbers.length,
        contacts: numbers.length,
        total_rejected: 0,
        numbers_sent: numbers,
        credit_used: numbers.length,
        credit_left: this.options.credit ?? 1000,
      },
    });
  }
}
