import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HOST, REPO_ROOT } from "./emulators";

interface FirebaseJson {
  emulators: Record<"firestore" | "functions" | "auth" | "hub" | "logging", { port: number }>;
}

const emulators = (
  JSON.parse(readFileSync(join(REPO_ROOT, "firebase.json"), "utf8")) as FirebaseJson
).emulators;

function numberFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new Error(`${name} must be a number, got "${value}"`);
  return parsed;
}

/** Where the local stack listens and how it behaves: firebase.json ports, environment overrides. */
export const LOCAL: LocalConfig = {
  ports: {
    firestore: numberFromEnv("FIRESTORE_PORT", emulators.firestore.port),
    functions: numberFromEnv("FUNCTIONS_PORT", emulators.functions.port),
    auth: numberFromEnv("AUTH_PORT", emulators.auth.port),
    hub: numberFromEnv("HUB_PORT", emulators.hub.port),
    logging: numberFromEnv("LOGGING_PORT", emulators.logging.port),
    datamart: numberFromEnv("DATAMART_STANDIN_PORT", 4010),
    mnotify: numberFromEnv("MNOTIFY_STANDIN_PORT", 4020),
  },
  /** Seconds between scheduled sync runs: the real 5 minutes unless asked for faster. */
  syncEverySeconds: numberFromEnv("SYNC_EVERY_SECONDS", 300),
  datamartFailShare: numberFromEnv("DATAMART_FAIL_SHARE", 0.2),
  datamartRatePerMinute: numberFromEnv("DATAMART_STANDIN_RATE_PER_MINUTE", 200),
  datamartStepSeconds: [
    numberFromEnv("DATAMART_STEP_MIN_SECONDS", 15),
    numberFromEnv("DATAMART_STEP_MAX_SECONDS", 45),
  ],
  freshOrders: numberFromEnv("DEMO_ORDERS", 2),
  datamartWebhooks: numberFromEnv("DATAMART_WEBHOOKS", 1) > 0,
};

export interface LocalConfig {
  ports: Record<
    "firestore" | "functions" | "auth" | "hub" | "logging" | "datamart" | "mnotify",
    number
  >;
  syncEverySeconds: number;
  datamartFailShare: number;
  datamartRatePerMinute: number;
  datamartStepSeconds: [number, number];
  freshOrders: number;
  /** Whether the stand-in Datamart sends signed webhooks (polling still covers them when off). */
  datamartWebhooks: boolean;
}

export const localUrl = (port: number): string => `http://${HOST}:${port}`;
export const localHost = (port: number): string => `${HOST}:${port}`;
