import type { SendFailure } from "../domain/deliveryVerdict";
import type { NotificationRecord } from "./notificationRecord";
import type { DeliveryReport } from "../contract";

/**
 * A way to reach a customer (SMS today). The delivery state machine (delivery.ts) is the same for
 * every channel; a channel only sends, describes its failures, and reads delivery reports if its
 * provider has them.
 */
export interface Channel {
  /** The longest a send may take: the sweep never starts one it cannot finish. */
  sendTimeoutMs: number;
  /** Sending the same record twice sends one message (a create-once queue document). */
  idempotent?: boolean;
  send: (record: NotificationRecord) => Promise<{ providerIds: Record<string, string> }>;
  /** A failed send in the provider-neutral terms the verdict needs; undefined for a bug of ours. */
  describeFailure: (error: unknown) => SendFailure | undefined;
  /** What the provider says now about a SENT message; undefined when it cannot say. */
  deliveryReport?: (record: NotificationRecord) => Promise<DeliveryReport | undefined>;
}
