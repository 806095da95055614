import { existsSync, readdirSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { declaredParams, type Param } from "firebase-functions/params";
import { startProcess, type ManagedProcess } from "./processes";

export const REPO_ROOT = resolve(__dirname, "..", "..");
export const FUNCTIONS_DIR = join(REPO_ROOT, "functions");
export const REGION = "us-central1";
export const HOST = "127.0.0.1";

/** Firestore triggers this codebase exports, registered with the Firestore emulator. */
const FIRESTORE_TRIGGERS: readonly { name: string; document: string; event: string }[] = [
  { name: "onOrderUpdated", document: "transactions/{transactionId}", event: "updated" },
  { name: "adoptNewOrder", document: "transactions/{transactionId}", event: "created" },
  { name: "runRequestedSync", document: "syncRequests/{requestId}", event: "created" },
];

export class MissingEmulatorError extends Error {
  override name = "MissingEmulatorError";
}

/**
 * The Cloud Firestore emulator jar: `$FIRESTORE_EMULATOR_JAR`, else the Debian package's, else
 * firebase-tools' own download.
 */
export function findFirestoreEmulatorJar(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.FIRESTORE_EMULATOR_JAR;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new MissingEmulatorError(
      `FIRESTORE_EMULATOR_JAR points at ${fromEnv}, which does not exist`,
    );
  }
  const candidates = [
    "/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar",
  ];
  try {
    const listed = execFileSync("dpkg", ["-L", "google-cloud-cli-firestore-emulator"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    candidates.unshift(
      ...listed.split("\n").filter((l) => l.endsWith("cloud-firestore-emulator.jar")),
    );
  } catch {
    // Not a Debian machine, or the package is not installed.
  }
  const cache = join(homedir(), ".cache", "firebase", "emulators");
  if (existsSync(cache)) {
    candidates.push(
      ...readdirSync(cache)
        .filter((f) => /^cloud-firestore-emulator-v.*\.jar$/.test(f))
        .sort()
        .reverse()
        .map((f) => join(cache, f)),
    );
  }
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new MissingEmulatorError(
      "No Cloud Firestore emulator found: install the Debian package google-cloud-cli-firestore-emulator, " +
        "or set FIRESTORE_EMULATOR_JAR to cloud-firestore-emulator.jar",
    );
  }
  return found;
}

/**
 * Refuses to go on unless Firestore access is pointed at an emulator and a `demo-` project, so no
 * test or dev tool can reach a real project.
 */
export function assertEmulatorOnly(env: NodeJS.ProcessEnv = process.env): void {
  if (!env.FIRESTORE_EMULATOR_HOST) {
    throw new MissingEmulatorError(
      "FIRESTORE_EMULATOR_HOST is not set: refusing to run against a real Firestore",
    );
  }
  const project = env.GCLOUD_PROJECT ?? env.GOOGLE_CLOUD_PROJECT;
  if (!project?.startsWith("demo-")) {
    throw new MissingEmulatorError(
      `GCLOUD_PROJECT must be a demo- project (got ${project ?? "nothing"}): refusing to run`,
    );
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** The functions runtime firebase.json deploys with (`nodejs24`): the emulators use the same. */
export function functionsRuntime(): string {
  const config = JSON.parse(readFileSync(join(REPO_ROOT, "firebase.json"), "utf8")) as {
    functions: { runtime: string }[];
  };
  return config.functions[0].runtime;
}

export class PortInUseError extends Error {
  override name = "PortInUseError";
}

/**
 * Fails at once, naming the port and the setting that moves it, if something already listens on
 * one of these ports: otherwise a second emulator could answer in place of ours.
 */
export async function assertPortsFree(
  ports: readonly { port: number; what: string; variable: string }[],
): Promise<void> {
  for (const { port, what, variable } of ports) {
    const free = await new Promise<boolean>((resolveFree) => {
      const server = createServer();
      server.once("error", () => resolveFree(false));
      server.listen(port, HOST, () => server.close(() => resolveFree(true)));
    });
    if (!free)
      throw new PortInUseError(
        `Port ${port} (${what}) is already in use. Stop whatever holds it, or choose another port: ${variable}=<port> npm start`,
      );
  }
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  process?: ManagedProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process && process.child.exitCode !== null) {
      throw new Error(`${process.name} exited early:\n${process.output()}`);
    }
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}${process ? `:\n${process.output()}` : ""}`);
}

export interface FirestoreEndpoint {
  host: string;
  projectId: string;
}

export interface FirestoreEmulator extends FirestoreEndpoint {
  process: ManagedProcess;
}

export async function startFirestoreEmulator(options: {
  projectId: string;
  port: number;
  rulesPath?: string;
  functionsEmulator?: string;
  loadExport?: string;
  onOutput?: (text: string) => void;
}): Promise<FirestoreEmulator> {
  const jar = findFirestoreEmulatorJar();
  const args = ["-cp", jar, "com.google.cloud.datastore.emulator.firestore.CloudFirestore"];
  args.push("--host", HOST, "--port", String(options.port), "--project_id", options.projectId);
  if (options.rulesPath) args.push("--rules", options.rulesPath);
  if (options.functionsEmulator) args.push("--functions_emulator", options.functionsEmulator);
  if (options.loadExport) args.push("--seed_from_export", options.loadExport);
  const process = startProcess("Firestore emulator", "java", args, { onOutput: options.onOutput });
  const host = `${HOST}:${options.port}`;
  await waitFor(
    `the Firestore emulator on ${host}`,
    async () => (await fetch(`http://${host}/`)).ok,
    30_000,
    process,
  );
  return { host, projectId: options.projectId, process };
}

/**
 * Replaces the security rules the Firestore emulator enforces (as a deploy replaces the ruleset).
 * Rules that do not compile are refused with the emulator's own message, and the old ones stay.
 */
export async function loadRules(firestore: FirestoreEndpoint, rules: string): Promise<void> {
  const response = await fetch(
    `http://${firestore.host}/emulator/v1/projects/${firestore.projectId}:securityRules`,
    {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ rules: { files: [{ name: "firestore.rules", content: rules }] } }),
    },
  );
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    throw new Error(
      `The Firestore emulator refused the rules: ${body.error?.message ?? `HTTP ${response.status}`}`,
    );
  }
}

export interface FunctionsEmulator {
  projectId: string;
  functionsHost: string;
  authHost: string;
  process: ManagedProcess;
}

/**
 * Starts firebase-tools' functions and auth emulators with the compiled code (`functions/lib`),
 * wired to a Firestore emulator started with `startFirestoreEmulator`, and registers the project's
 * Firestore triggers with it so a real write fires them.
 */
export async function startFunctionsEmulator(options: {
  projectId: string;
  firestore: FirestoreEndpoint;
  ports: { functions: number; auth: number; hub: number; logging: number };
  /** Param values for this run, e.g. the stand-ins' URLs; the rest take their declared defaults. */
  params?: Record<string, string>;
  /** An `emulators:export` folder to load auth users from. */
  importFrom?: string;
  /** More environment for the emulator and the functions it runs. */
  env?: Record<string, string>;
  onOutput?: (text: string) => void;
}): Promise<FunctionsEmulator> {
  const { projectId, ports } = options;
  writeEmulatorParams(projectId, options.params ?? {});
  const configDir = join(REPO_ROOT, ".tmp", projectId);
  mkdirSync(configDir, { recursive: true });
  const configPath = join(configDir, "firebase.json");
  const emulator = (port: number) => ({ host: HOST, port });
  writeFileSync(
    configPath,
    JSON.stringify({
      functions: [{ source: "../../functions", codebase: "default", runtime: functionsRuntime() }],
      emulators: {
        singleProjectMode: true,
        functions: emulator(ports.functions),
        auth: emulator(ports.auth),
        hub: emulator(ports.hub),
        logging: emulator(ports.logging),
        ui: { enabled: false },
      },
    }),
  );
  const firebaseBin = join(
    FUNCTIONS_DIR,
    "node_modules",
    "firebase-tools",
    "lib",
    "bin",
    "firebase.js",
  );
  const process = startProcess(
    "Functions and Auth emulators",
    globalThis.process.execPath,
    [
      firebaseBin,
      "emulators:start",
      "--only",
      "functions,auth",
      "--project",
      projectId,
      "--config",
      configPath,
      ...(options.importFrom ? ["--import", options.importFrom] : []),
    ],
    {
      cwd: configDir,
      env: {
        ...globalThis.process.env,
        FIRESTORE_EMULATOR_HOST: options.firestore.host,
        FIREBASE_CLI_DISABLE_UPDATE_CHECK: "true",
        // The emulator starts a Node process per concurrent invocation, up to 50: a burst of
        // webhooks and triggers then starves 2 cores. Past this many, invocations queue.
        FUNCTIONS_EMULATOR_PARALLEL: globalThis.process.env.FUNCTIONS_EMULATOR_PARALLEL ?? "8",
        ...options.env,
      },
      onOutput: options.onOutput,
    },
  );
  const functionsHost = `${HOST}:${ports.functions}`;
  await waitFor(
    "the functions emulator",
    () => Promise.resolve(/All emulators ready/.test(process.output())),
    120_000,
    process,
  );
  await registerFirestoreTriggers(options.firestore, functionsHost);
  return { projectId, functionsHost, authHost: `${HOST}:${ports.auth}`, process };
}

/**
 * Writes every declared param into `functions/.env.<projectId>` (generated, not committed): the
 * given values, and each other param's declared default. With every param set there, the functions
 * emulator neither prompts nor writes a `.env.local` of its own that would shadow later runs.
 */
function writeEmulatorParams(projectId: string, values: Record<string, string>): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled code's param declarations
  const index = require(join(FUNCTIONS_DIR, "lib", "index.js")) as Record<string, unknown>;
  // Each function's module loads when its export is read (src/index.ts): read them all, as deploy does.
  Object.values(index);
  const lines = Object.entries(paramValues(values)).map(([name, value]) => `${name}=${value}`);
  writeFileSync(
    join(FUNCTIONS_DIR, `.env.${projectId}`),
    `# Generated by dev/emulators.ts for the emulators.\n${lines.join("\n")}\n`,
  );
  // The secrets' stand-in values, which the functions emulator reads from `.secret.local`. Written
  // here, never committed (.gitignore covers every .secret.* file), so no real key can be.
  writeFileSync(
    join(FUNCTIONS_DIR, ".secret.local"),
    "# Generated by dev/emulators.ts: the stand-ins' values. Real keys: firebase functions:secrets:set.\n" +
      Object.entries(STANDIN_SECRETS)
        .map(([name, value]) => `${name}=${value}`)
        .join("\n") +
      "\n",
  );
}

/** What the stand-ins take as the secrets (dev/standins/): fake, for the emulators only. */
const STANDIN_SECRETS: Record<string, string> = {
  DATAMART_API_KEY: "local-datamart-key",
  MNOTIFY_API_KEY: "local-mnotify-key",
  DATAMART_WEBHOOK_SECRET: "local-webhook-secret",
};

/**
 * Where the emulators differ from the declared defaults: wallet refunds on, so the local stack and
 * the tests show and check them. Production keeps them off until the operator switches them on.
 */
const EMULATOR_VALUES: Record<string, string> = { WALLET_REFUNDS: "true" };

/**
 * Every plain param declared by the code loaded so far: the given value, else the emulators' own
 * value, else its declared default, as Cloud Functions puts them in the environment. Secrets are not
 * included.
 */
export function paramValues(values: Record<string, string> = {}): Record<string, string> {
  const result: Record<string, string> = {};
  // Plain params are expressions (they have `cmp`); secrets are not.
  for (const param of declaredParams.filter((p): p is Param<string | number> => "cmp" in p)) {
    const fallback = param.options.default;
    result[param.name] =
      values[param.name] ??
      EMULATOR_VALUES[param.name] ??
      (typeof fallback === "object" ? "" : String(fallback));
  }
  return result;
}

/** The emulator's id for a function: `us-central1-NAME-N`, N being its reload counter. */
async function triggerKeys(functionsHost: string, projectId: string): Promise<string[]> {
  const response = await fetch(`http://${functionsHost}/${projectId}/${REGION}/__list__`);
  return Array.from(
    (await response.text()).matchAll(new RegExp(`${REGION}-[\\w-]+-\\d+`, "g")),
    (m) => m[0],
  );
}

async function registerFirestoreTriggers(
  firestore: FirestoreEndpoint,
  functionsHost: string,
): Promise<void> {
  if (FIRESTORE_TRIGGERS.length === 0) return;
  const keys = await triggerKeys(functionsHost, firestore.projectId);
  for (const trigger of FIRESTORE_TRIGGERS) {
    const key = keys.find((k) => k.startsWith(`${REGION}-${trigger.name}-`));
    if (!key)
      throw new Error(
        `The functions emulator does not list ${trigger.name} (saw ${keys.join(", ")})`,
      );
    const url = `http://${firestore.host}/emulator/v1/projects/${firestore.projectId}/eventarcTrigger?eventarcTriggerId=${key}`;
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        eventType: `google.cloud.firestore.document.v1.${trigger.event}`,
        database: "(default)",
        namespace: "(default)",
        document: { value: trigger.document, matchType: "PATH_PATTERN" },
      }),
    });
    if (!response.ok)
      throw new Error(
        `Registering ${key} failed: HTTP ${response.status} ${await response.text()}`,
      );
  }
}
