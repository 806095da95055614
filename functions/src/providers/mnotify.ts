import type { AxiosInstance } from "axios";
import { z } from "zod";
import { jsonHttpClient, overloadOrServerError, parseJsonBody, transportError } from "./http";
import { ProviderError } from "./providerError";
import type { DeliveryReport } from "../contract";
import { senderIdProblem } from "../domain/senderId";

export interface MnotifyOptions {
  baseUrl: string;
  apiKey: string;
  senderId: string;
  timeoutMs: number;
}

/** mNotify codes that only an operator can fix: no credit, bad key, sender, number or message. */
const PERMANENT_CODES: Readonly<Record<string, string>> = {
  "4000": "numeric sender id not allowed",
  "4001": "empty recipient, sender or message",
  "4003": "sender id longer than 11 characters",
  "4004": "not enough SMS credit",
  "4014": "sender id not registered",
  "1003": "insufficient balance",
  "1004": "invalid API key",
  "1005": "invalid phone number",
  "1006": "invalid sender id",
};

const replySchema = z.looseObject({
  status: z.string(),
  code: z.union([z.string(), z.number()]).transform(String).optional(),
  message: z.string().optional(),
  summary: z.looseObject({ _id: z.string().min(1), message_id: z.string().optional() }).optional(),
});

export interface SmsReceipt {
  /** mNotify's campaign id (`summary._id`), for delivery reports. */
  campaignId: string;
  messageId?: string;
}

/**
 * The adapter for mNotify's BMS API v2 quick SMS. The key can only travel in the query string, so the
 * URL is never logged and errors are rebuilt without it.
 */
export class MnotifyClient {
  private readonly http: AxiosInstance;

  constructor(private readonly options: MnotifyOptions) {
    this.http = jsonHttpClient({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      headers: { "Content-Type": "application/json" },
    });
  }

  /** Sends one SMS to a `233…` number. Throws ProviderError. */
  async send(recipient: string, message: string): Promise<SmsReceipt> {
    const problem = senderIdProblem(this.options.senderId);
    if (problem) {
      throw new ProviderError("mnotify", "rejected", `MNOTIFY_SENDER_ID is invalid: ${problem}`, {
        code: "config",
      });
    }
    let response;
    try {
      response = await this.http.post<string>(
        "/sms/quick",
        {
          recipient: [recipient],
          sender: this.options.senderId,
          message,
          is_schedule: false,
          schedule_date: "",
        },
        { params: { key: this.options.apiKey } },
      );
    } catch (error) {
      throw transportError("mnotify", error);
    }
    const body = parseJsonBody(response.data);
    const { status } = response;
    const overloaded = overloadOrServerError("mnotify", response, body);
    if (overloaded) throw overloaded;
    const reply = replySchema.safeParse(body);
    const code = reply.success ? reply.data.code : undefined;
    if (code && PERMANENT_CODES[code]) {
      throw new ProviderError(
        "mnotify",
        code === "1004" ? "auth" : "rejected",
        `mNotify ${code}: ${PERMANENT_CODES[code]}`,
        {
          status,
          code,
          body,
        },
      );
    }
    if (status === 401 || status === 403) {
      throw new ProviderError("mnotify", "auth", `mNotify refused the API key (HTTP ${status})`, {
        status,
        body,
      });
    }
    if (!reply.success || reply.data.status !== "success" || !reply.data.summary || status >= 400) {
      throw new ProviderError(
        "mnotify",
        "bad-response",
        `mNotify did not confirm the message (HTTP ${status}${code ? `, code ${code}` : ""})`,
        {
          status,
          code,
          body,
        },
      );
    }
    return { campaignId: reply.data.summary._id, messageId: reply.data.summary.message_id };
  }

  /**
   * mNotify's word on the configured sender id (`POST /senderid/status`): `Approved` when SMS can
   * go out under it; anything else (`Pending`, `Rejected`, ...) means every SMS would fail with 4014.
   */
  async senderIdStatus(): Promise<string> {
    let response;
    try {
      response = await this.http.post<string>(
        "/senderid/status",
        { sender_name: this.options.senderId },
        { params: { key: this.options.apiKey } },
      );
    } catch (error) {
      throw transportError("mnotify", error);
    }
    const reply = senderStatusSchema.safeParse(parseJsonBody(response.data));
    if (response.status >= 400 || !reply.success)
      throw new ProviderError(
        "mnotify",
        "bad-response",
        `mNotify did not answer the sender id status (HTTP ${response.status})`,
        { status: response.status },
      );
    return reply.data.summary.status;
  }

  /**
   * What the campaign's delivery report says of this number: delivered, undelivered (undelivered,
   * failed or rejected), or pending (submitted, or not listed yet). mNotify lists a campaign's
   * messages per status (`GET /campaign/{id}/{status}`), so each status is asked in turn.
   */
  async deliveryReport(campaignId: string, recipient: string): Promise<DeliveryReport> {
    const local = `0${recipient.slice(3)}`;
    for (const [status, report] of REPORT_LISTS) {
      let response;
      try {
        response = await this.http.get<string>(
          `/campaign/${encodeURIComponent(campaignId)}/${status}`,
          { params: { key: this.options.apiKey } },
        );
      } catch (error) {
        throw transportError("mnotify", error);
      }
      const body = parseJsonBody(response.data);
      if (response.status >= 400 || typeof body !== "object" || body === null)
        throw new ProviderError(
          "mnotify",
          "bad-response",
          `mNotify's delivery report failed (HTTP ${response.status})`,
          { status: response.status },
        );
      const listed = JSON.stringify(body);
      if (listed.includes(recipient) || listed.includes(`"${local}"`)) return report;
    }
    return "pending";
  }
}

const senderStatusSchema = z.looseObject({
  status: z.literal("success"),
  summary: z.looseObject({ status: z.string() }),
});

const REPORT_LISTS: readonly [string, DeliveryReport][] = [
  ["DELIVERED", "delivered"],
  ["UNDELIVERED", "undelivered"],
  ["FAILED", "undelivered"],
  ["REJECTED", "undelivered"],
];
