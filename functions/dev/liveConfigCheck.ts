/*
 * Run by `firebase deploy` before the functions are built (firebase.json `predeploy`), with the target
 * project in GCLOUD_PROJECT. A project that is not `demo-` must set, in its own
 * `functions/.env.<projectId>` (or `.env.<alias>`), the params whose committed values are only
 * placeholders; and mNotify must have approved the sender id, or every SMS fails with 4014. That is
 * asked once (with MNOTIFY_API_KEY in the deploy's environment) and remembered in .tmp/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MnotifyClient } from "../src/providers/mnotify";
import { FUNCTIONS_DIR, REPO_ROOT } from "./emulators";

/** Params whose committed value is a guess each project must replace, with what to set. */
export const PER_PROJECT_PARAMS: Record<string, string> = {
  ORDER_LINK_BASE: "the URL a push opens, + the order id (DataSell's real order page)",
  MNOTIFY_SENDER_ID: "the sender id registered and approved in DataSell's mNotify account",
};

const dotenv = (path: string): Record<string, string> =>
  existsSync(path)
    ? Object.fromEntries(
        readFileSync(path, "utf8")
          .split("\n")
          .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => [m[1], m[2].trim()]),
      )
    : {};

/** The aliases `.firebaserc` gives the project: firebase-tools also reads `.env.<alias>`. */
function aliasesOf(projectId: string, projectDir: string): string[] {
  const path = join(projectDir, ".firebaserc");
  if (!existsSync(path)) return [];
  const { projects = {} } = JSON.parse(readFileSync(path, "utf8")) as {
    projects?: Record<string, string>;
  };
  return Object.entries(projects)
    .filter(([, id]) => id === projectId)
    .map(([alias]) => alias);
}

/** The params a deploy to `projectId` would take from the project's own dotenv files. */
export function projectValues(
  projectId: string,
  projectDir = REPO_ROOT,
  functionsDir = FUNCTIONS_DIR,
): Record<string, string> {
  return Object.assign(
    {},
    ...[projectId, ...aliasesOf(projectId, projectDir)].map((name) =>
      dotenv(join(functionsDir, `.env.${name}`)),
    ),
  ) as Record<string, string>;
}

/** What must be set before `projectId` can be deployed to, one line each; none for a demo- project. */
export function placeholderProblems(projectId: string, values: Record<string, string>): string[] {
  if (projectId.startsWith("demo-")) return [];
  return Object.entries(PER_PROJECT_PARAMS)
    .filter(([name]) => !values[name])
    .map(
      ([name, what]) => `${name} is only a placeholder: set ${what} in functions/.env.${projectId}`,
    );
}

/**
 * Whether mNotify approved the sender id for this project: remembered once approved, else asked
 * (needs the API key). Answers the problem, or undefined when the sender id may be used.
 */
export async function senderIdProblem(options: {
  projectId: string;
  senderId: string;
  baseUrl: string;
  apiKey: string | undefined;
  recordDir?: string;
}): Promise<string | undefined> {
  const recordDir = options.recordDir ?? join(REPO_ROOT, ".tmp", "sender-id-approved");
  const record = join(recordDir, `${options.projectId}.json`);
  if (
    existsSync(record) &&
    (JSON.parse(readFileSync(record, "utf8")) as { senderId: string }).senderId === options.senderId
  )
    return undefined;
  if (!options.apiKey)
    return `mNotify's approval of the sender id ${options.senderId} is not checked yet: deploy once with MNOTIFY_API_KEY=<the key> in the environment`;
  const status = await new MnotifyClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    senderId: options.senderId,
    timeoutMs: 10_000,
  }).senderIdStatus();
  if (status !== "Approved")
    return `mNotify says the sender id ${options.senderId} is ${status}, not Approved: every SMS would fail (4014)`;
  mkdirSync(recordDir, { recursive: true });
  writeFileSync(record, JSON.stringify({ senderId: options.senderId, approvedAt: new Date() }));
  return undefined;
}

async function main(): Promise<void> {
  const projectId = process.env.GCLOUD_PROJECT;
  if (!projectId) throw new Error("GCLOUD_PROJECT is not set: run this through firebase deploy");
  if (projectId.startsWith("demo-")) return;
  const values = { ...dotenv(join(FUNCTIONS_DIR, ".env")), ...projectValues(projectId) };
  const problems = placeholderProblems(projectId, projectValues(projectId));
  if (problems.length === 0) {
    const senderProblem = await senderIdProblem({
      projectId,
      senderId: values.MNOTIFY_SENDER_ID,
      baseUrl: values.MNOTIFY_BASE_URL,
      apiKey: process.env.MNOTIFY_API_KEY,
    });
    if (senderProblem) problems.push(senderProblem);
  }
  if (problems.length > 0) {
    console.error(`Not deploying to ${projectId}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  console.log(`${projectId}: per-project params set, sender id approved by mNotify`);
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
