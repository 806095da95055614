/** Datamart's network codes, and the names DataSell's customers know. */
const NETWORK_NAMES: Readonly<Record<string, string>> = {
  YELLO: "MTN",
  MTN: "MTN",
  TELECEL: "Telecel",
  VODAFONE: "Telecel",
  AT_PREMIUM: "AirtelTigo",
  AIRTELTIGO: "AirtelTigo",
  AT: "AirtelTigo",
};

/** The network's name as customers know it (Datamart's code YELLO is MTN), else the code as given. */
export function networkName(network: string | null | undefined): string {
  if (!network) return "";
  return NETWORK_NAMES[network.toUpperCase()] ?? network;
}
