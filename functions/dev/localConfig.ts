import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
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

export type PortName =
  | "firestore"
  | "functions"
  | "auth"
  | "hub"
  | "logging"
  | "datamart"
  | "mnotify"
  | "fcm"
  | "console";

/** Every port the local stack opens: what listens there, the variable that moves it, its default. */
export const PORTS: Readonly<Record<PortName, { what: string; variable: string; port: number }>> = {
  firestore: {
    what: "Firestore emulator",
    variable: "FIRESTORE_PORT",
    port: emulators.firestore.port,
  },
  functions: {
    what: "Functions emulator",
    variable: "FUNCTIONS_PORT",
    port: emulators.functions.port,
  },
  auth: { what: "Auth emulator", variable: "AUTH_PORT", port: emulators.auth.port },
  hub: { what: "Emulator hub", variable: "HUB_PORT", port: emulators.hub.port },
  logging: { what: "Emulator logging", variable: "LOGGING_PORT", port: emulators.logging.port },
  datamart: { what: "stand-in Datamart", variable: "DATAMART_STANDIN_PORT", port: 4010 },
  mnotify: { what: "stand-in mNotify", variable: "MNOTIFY_STANDIN_PORT", port: 4020 },
  fcm: { what: "stand-in FCM", variable: "FCM_STANDIN_PORT", port: 4030 },
  console: { what: "admin console", variable: "CONSOLE_PORT", port: 5050 },
};

/** Where the local stack listens and how it behaves: firebase.json ports, environment overrides. */
export const LOCAL: LocalConfig = {
  ports: Object.fromEntries(
    Object.entries(PORTS).map(([name, p]) => [name, numberFromEnv(p.variable, p.port)]),
  ) as Record<PortName, number>,
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
  ports: Record<PortName, number>;
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

/**
 * Where a running `npm start` says which ports it uses, so the helpers of a second terminal
 * (`tokens`, `place-order`) follow it whatever ports it was started with.
 */
const runningStackFile = (): string =>
  process.env.LOCAL_STACK_FILE ?? join(REPO_ROOT, ".tmp", "local-stack.json");

export interface RunningStack {
  projectId: string;
  ports: Record<PortName, number>;
  /** The functions' base URL, `http://127.0.0.1:PORT/PROJECT/REGION`. */
  base: string;
}

export function recordRunningStack(stack: RunningStack): () => void {
  const file = runningStackFile();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(stack, null, 2)}\n`);
  return () => rmSync(file, { force: true });
}

export function runningStack(): RunningStack {
  const file = runningStackFile();
  if (!existsSync(file))
    throw new Error("No local stack is running: start it with npm start in another terminal");
  return JSON.parse(readFileSync(file, "utf8")) as RunningStack;
}
