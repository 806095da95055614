import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import AdmZip from "adm-zip";
import { REPO_ROOT } from "./emulators";

/*
 * What `firebase deploy` does before it talks to Google, run offline with firebase-tools' own code
 * (the version pinned in package.json): firebase.json schema, the runtime support guard, discovery of
 * the built functions, param resolution from the committed dotenv files (non-interactive, as in CI),
 * endpoint validation and the upload archive; and the Firestore index spec validation. What needs the
 * network is left out: API enablement, Secret Manager (secrets are listed instead), the existing
 * backend, and the Firestore database's region lookup for triggers (ours name their region).
 */

/* eslint-disable @typescript-eslint/no-require-imports -- firebase-tools ships no type declarations */
const tools = (path: string): unknown => require(`firebase-tools/lib/${path}`);
const { Config } = tools("config") as {
  Config: new (src: unknown, options: { projectDir: string; cwd: string }) => FirebaseToolsConfig;
};
const { getValidator, getErrorMessage } = tools("firebaseConfigValidate") as {
  getValidator: () => ((data: unknown) => boolean) & { errors?: unknown[] | null };
  getErrorMessage: (error: unknown) => string;
};
const prepare = tools("deploy/functions/prepare") as {
  loadCodebases: (
    config: unknown[],
    options: unknown,
    firebaseConfig: unknown,
    runtimeConfig: unknown,
  ) => Promise<Record<string, Build>>;
  resolveCpuAndConcurrency: (backend: unknown) => void;
  resolveDefaultTimeout: (backend: unknown) => void;
};
const { normalizeAndValidate } = tools("functions/projectConfig") as {
  normalizeAndValidate: (config: unknown) => { codebase: string; source: string }[];
};
const { loadUserEnvs } = tools("functions/env") as {
  loadUserEnvs: (options: Record<string, unknown>) => Record<string, string>;
};
const { resolveBackend } = tools("deploy/functions/build") as {
  resolveBackend: (options: Record<string, unknown>) => Promise<{ backend: unknown }>;
};
const backends = tools("deploy/functions/backend") as {
  empty: () => unknown;
  allEndpoints: (backend: unknown) => Endpoint[];
};
const { endpointsAreValid } = tools("deploy/functions/validate") as {
  endpointsAreValid: (want: unknown, have: unknown) => void;
};
const { prepareFunctionsUpload } = tools("deploy/functions/prepareFunctionsUpload") as {
  prepareFunctionsUpload: (
    projectDir: string,
    sourceDir: string,
    config: unknown,
    additional: string[],
    runtimeConfig: unknown,
    options: { exportType: "zip" },
  ) => Promise<{ pathToSource: string } | undefined>;
};
const { FirestoreApi } = tools("firestore/api") as {
  FirestoreApi: new () => { validateSpec(spec: unknown): void };
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface FirebaseToolsConfig {
  src: { functions: unknown; firestore?: { indexes?: string; rules?: string } };
  path(relative: string): string;
  projectDir: string;
}
interface Param {
  name: string;
  type: string;
}
interface Build {
  runtime: string;
  params: Param[];
}
export interface Endpoint {
  id: string;
  region: string;
  platform: string;
  maxInstances?: number | null;
  timeoutSeconds?: number | null;
  httpsTrigger?: object;
  callableTrigger?: object;
  scheduleTrigger?: { schedule: string };
  eventTrigger?: { eventType: string };
  secretEnvironmentVariables?: { key: string }[];
}

export interface DeployPlan {
  runtime: string;
  endpoints: Endpoint[];
  /** Plain params and the value a deploy to this project would give each. */
  params: Record<string, string>;
  /** Secrets the functions bind: they must exist in Secret Manager before a deploy. */
  secrets: string[];
  /** Every file the upload archive would hold, relative to functions/. */
  uploadFiles: string[];
}

export interface DeployCheckOptions {
  projectId: string;
  /** The repository to check; the real one by default. */
  projectDir?: string;
  /** Where the dotenv files live instead of functions/ (firebase.json `configDir`). */
  configDir?: string;
}

/** Runs firebase-tools' deploy preparation for the functions codebase, offline; throws what a deploy would. */
export async function planFunctionsDeploy(options: DeployCheckOptions): Promise<DeployPlan> {
  const projectDir = options.projectDir ?? REPO_ROOT;
  const config = loadFirebaseJson(projectDir);
  const [codebase] = normalizeAndValidate(config.src.functions);
  const deployOptions = { config, projectId: options.projectId, nonInteractive: true };
  const firebaseConfig = {
    projectId: options.projectId,
    storageBucket: `${options.projectId}.appspot.com`,
  };
  const builds = await prepare.loadCodebases([codebase], deployOptions, firebaseConfig, {
    firebase: firebaseConfig,
  });
  const build = builds[codebase.codebase];
  const sourceDir = config.path(codebase.source);
  const userEnvs = loadUserEnvs({
    functionsSource: sourceDir,
    configDir: options.configDir,
    projectId: options.projectId,
    projectDir,
  });
  // isEmulator only skips the Secret Manager look-up; plain params resolve as a deploy resolves them.
  const { backend } = await resolveBackend({
    build,
    firebaseConfig,
    userEnvs,
    codebase: codebase.codebase,
    nonInteractive: true,
    isEmulator: true,
  });
  prepare.resolveCpuAndConcurrency(backend);
  prepare.resolveDefaultTimeout(backend);
  endpointsAreValid(backend, backends.empty());

  const upload = await prepareFunctionsUpload(projectDir, sourceDir, codebase, [], undefined, {
    exportType: "zip",
  });
  if (!upload) throw new Error("firebase-tools prepared no upload archive");
  const uploadFiles = new AdmZip(upload.pathToSource).getEntries().map((e) => e.entryName);
  rmSync(upload.pathToSource, { force: true });

  const plain = build.params.filter((p) => p.type !== "secret").map((p) => p.name);
  return {
    runtime: build.runtime,
    endpoints: backends.allEndpoints(backend),
    params: Object.fromEntries(plain.map((name) => [name, userEnvs[name]])),
    secrets: build.params.filter((p) => p.type === "secret").map((p) => p.name),
    uploadFiles,
  };
}

/** firebase.json, validated against firebase-tools' own schema (a deploy only logs what it finds). */
export function loadFirebaseJson(projectDir: string = REPO_ROOT): FirebaseToolsConfig {
  const data: unknown = JSON.parse(readFileSync(join(projectDir, "firebase.json"), "utf8"));
  const validate = getValidator();
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => getErrorMessage(e)).join("; ");
    throw new Error(`firebase.json does not match firebase-tools' schema: ${problems}`);
  }
  return new Config(data, { projectDir, cwd: projectDir });
}

/** Validates an index spec (`firestore.indexes.json`) as `firebase deploy --only firestore:indexes` does. */
export function validateIndexSpec(spec: unknown): void {
  new FirestoreApi().validateSpec(spec);
}

/** `npm run deploy-check [projectId]`: what a deploy of the built code would create, or why it would fail. */
async function main(): Promise<void> {
  const projectId = process.argv[2] ?? "datasell-deploy-check";
  const plan = await planFunctionsDeploy({ projectId });
  validateIndexSpec(JSON.parse(readFileSync(join(REPO_ROOT, "firestore.indexes.json"), "utf8")));
  console.log(`runtime ${plan.runtime}; functions:`);
  for (const e of plan.endpoints)
    console.log(`  ${e.id} (${e.region}, max instances ${e.maxInstances ?? "default"})`);
  console.log(
    `params: ${Object.keys(plan.params).length} with values; secrets to set: ${plan.secrets.join(", ")}`,
  );
  console.log(`upload: ${plan.uploadFiles.length} files; firestore.indexes.json valid`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
