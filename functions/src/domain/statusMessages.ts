import type { DataSellStatus } from "./orderStatus";
import type { Order } from "./order";

const NETWORK_NAMES: Readonly<Record<string, string>> = {
  YELLO: "MTN",
  MTN: "MTN",
  TELECEL: "Telecel",
  VODAFONE: "Telecel",
  AT_PREMIUM: "AirtelTigo",
  AIRTELTIGO: "AirtelTigo",
  AT: "AirtelTigo",
};

function networkName(network: string | null | undefined): string {
  if (!network) return "";
  return NETWORK_NAMES[network.toUpperCase()] ?? network;
}

function bundleName(order: Order): string {
  const volume = order.volume ? `${order.volume.replace(/\s*gb$/i, "")}GB` : "";
  const size = order.packageName || volume;
  return [size, networkName(order.network), "data"].filter(Boolean).join(" ");
}

/**
 * The customer-facing text for an order's status (the seed's `getStatusMessage`), short enough
 * for one SMS for every realistic order.
 */
export function getStatusMessage(status: DataSellStatus, order: Order): string {
  const bundle = bundleName(order);
  const to = order.phoneNumber ? ` to ${order.phoneNumber}` : "";
  switch (status) {
    case "processing":
      return `Your ${bundle} order${to} is being processed. We will text you when it is delivered. DataSell`;
    case "delivered":
      return `Your ${bundle}${to} has been delivered. Thank you for choosing DataSell.`;
    case "failed":
      return `Sorry, your ${bundle} order${to} failed. Please contact DataSell support for help.`;
    case "cancelled":
      return `Your ${bundle} order${to} was cancelled. Please contact DataSell support if this is unexpected.`;
    case "refunded":
      return `Your ${bundle} order${to} could not be completed, so your payment has been refunded. DataSell`;
  }
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
