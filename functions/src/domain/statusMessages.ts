import type { DataSellStatus } from "./orderStatus";
import type { Order } from "./order";
import { networkName } from "./networks";
import { formatGhs } from "./walletRefund";

function bundleName(order: Order): string {
  const volume = order.volume ? `${order.volume.replace(/\s*gb$/i, "")}GB` : "";
  const size = order.packageName || volume;
  return [size, networkName(order.network), "data"].filter(Boolean).join(" ");
}

/**
 * The customer-facing text for an order's status (the seed's `getStatusMessage`), short enough
 * for one SMS for every realistic order. It speaks of a refund only once the credit is committed
 * (the order's `refund` map is written in the same transaction as the status).
 */
export function getStatusMessage(
  status: DataSellStatus,
  order: Order,
  /** For `processing`: what the customer may expect (domain/deliveryExpectation.ts), in a few words. */
  expectation?: string,
): string {
  const bundle = bundleName(order);
  const to = order.phoneNumber ? ` to ${order.phoneNumber}` : "";
  const refund = order.refund;
  const credited =
    refund?.state === "credited" && refund.amountPesewas
      ? `${formatGhs(refund.amountPesewas)} has been refunded to your DataSell wallet.`
      : undefined;
  switch (status) {
    case "processing": {
      const processed = `Your ${bundle} order${to} is being processed.`;
      const told = "We will text you when it is delivered. DataSell";
      return fitOneSms([
        expectation && `${processed} ${expectation} ${told}`,
        expectation && `${processed} ${expectation} DataSell`,
        `${processed} ${told}`,
      ]);
    }
    case "delivered":
      if (refund?.state === "reversed" && refund.amountPesewas)
        return `Good news: your ${bundle}${to} was delivered after all, so the ${formatGhs(refund.amountPesewas)} refund was taken back from your DataSell wallet.`;
      if (refund?.state === "reversal-manual")
        return `Good news: your ${bundle}${to} was delivered after all. DataSell support will contact you about the refund.`;
      return `Your ${bundle}${to} has been delivered. Thank you for choosing DataSell.`;
    case "failed":
      return `Sorry, your ${bundle} order${to} failed. ${credited ?? "Please contact DataSell support for help."}`;
    case "cancelled":
      return `Your ${bundle} order${to} was cancelled. ${credited ?? "Please contact DataSell support if this is unexpected."}`;
    case "refunded":
      return credited
        ? `Your ${bundle} order${to} could not be completed. ${credited}`
        : `Your ${bundle} order${to} could not be completed, so your payment has been refunded. DataSell`;
  }
}

/** One SMS (GSM-7) holds this many characters. */
export const SMS_MAX_CHARS = 160;

/** The first of the texts (most told first) that fits one SMS, else the last. */
function fitOneSms(texts: (string | undefined)[]): string {
  const given = texts.filter((t): t is string => !!t);
  return given.find((t) => t.length <= SMS_MAX_CHARS) ?? given[given.length - 1];
}

const TITLES: Readonly<Record<DataSellStatus, string>> = {
  processing: "Order being processed",
  delivered: "Data delivered",
  failed: "Order failed",
  cancelled: "Order cancelled",
  refunded: "Payment refunded",
};

/** A short title for the in-app notification. */
export function getStatusTitle(status: DataSellStatus): string {
  return TITLES[status];
}
