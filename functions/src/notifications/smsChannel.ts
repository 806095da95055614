import type { MnotifyClient } from "../providers/mnotify";
import { ProviderError } from "../providers/providerError";
import type { Channel } from "./channel";

/** SMS through mNotify, as a channel. */
export function smsChannel(
  mnotify: Pick<MnotifyClient, "send" | "deliveryReport">,
  timeoutMs: number,
): Channel {
  return {
    sendTimeoutMs: timeoutMs,
    async send(record) {
      if (!record.recipient) throw new Error("An SMS record without a recipient cannot be sent");
      const receipt = await mnotify.send(record.recipient, record.message);
      return {
        providerIds: {
          campaignId: receipt.campaignId,
          ...(receipt.messageId ? { messageId: receipt.messageId } : {}),
        },
      };
    },
    describeFailure(error) {
      if (!(error instanceof ProviderError)) return undefined;
      return {
        kind: error.kind,
        status: error.status,
        code: error.details.code,
        permanent: error.kind === "rejected" || error.kind === "auth",
      };
    },
    async deliveryReport(record) {
      const campaignId = record.providerIds?.campaignId;
      if (!campaignId || !record.recipient) return undefined;
      return mnotify.deliveryReport(campaignId, record.recipient);
    },
  };
}
