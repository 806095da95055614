/*
 * `npm run deploy-rules -- --project <id> [--apply]`: the one way this repository touches a live
 * project's Firestore rules. A release replaces the whole ruleset, DataSell's app's own rules
 * included, so it first fetches the live ruleset through the Firebase Rules API (with the operator's
 * `firebase login`, through firebase-tools' own client) and prints what `firestore.rules` would
 * replace, as a diff. Only with `--apply` does it create the ruleset and release it for Firestore.
 */
import { createTwoFilesPatch } from "diff";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./emulators";

/* eslint-disable @typescript-eslint/no-require-imports -- firebase-tools ships no type declarations */
interface RulesFile {
  name: string;
  content: string;
}
const rulesApi = () =>
  require("firebase-tools/lib/gcp/rules") as {
    listAllReleases(projectId: string): Promise<{ name: string; rulesetName: string }[]>;
    getLatestRulesetName(
      projectId: string,
      service: string,
      releases: { name: string; rulesetName: string }[],
    ): Promise<string | null>;
    getRulesetContent(name: string): Promise<RulesFile[]>;
    createRuleset(projectId: string, files: RulesFile[]): Promise<string>;
    updateOrCreateRelease(projectId: string, rulesetName: string, release: string): Promise<string>;
  };
const { rulesOrigin } = require("firebase-tools/lib/api") as { rulesOrigin: () => string };
const { getGlobalDefaultAccount } = require("firebase-tools/lib/auth") as {
  getGlobalDefaultAccount: () => object | undefined;
};
const { requireAuth } = require("firebase-tools/lib/requireAuth") as {
  requireAuth: (options: object) => Promise<unknown>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const FIRESTORE_RELEASE = "cloud.firestore";

export interface RulesPlan {
  /** The live ruleset's name, or null when the project has none released for Firestore. */
  liveRuleset: string | null;
  /** A unified diff from the live rules to firestore.rules; empty when they are the same. */
  diff: string;
}

/** What releasing `rules` would replace in the project's live Firestore rules. */
export async function planRules(projectId: string, rules: string): Promise<RulesPlan> {
  const api = rulesApi();
  const releases = await api.listAllReleases(projectId);
  const liveRuleset = await api.getLatestRulesetName(projectId, FIRESTORE_RELEASE, releases);
  const live = liveRuleset ? await api.getRulesetContent(liveRuleset) : [];
  const liveText = live.map((file) => file.content).join("\n");
  const diff =
    liveText === rules
      ? ""
      : createTwoFilesPatch(
          `live (${liveRuleset ?? "no rules released"})`,
          "firestore.rules",
          liveText,
          rules,
        );
  return { liveRuleset, diff };
}

/** Creates a ruleset from `rules` and releases it for Firestore; answers the new ruleset's name. */
export async function releaseRules(projectId: string, rules: string): Promise<string> {
  const api = rulesApi();
  const name = await api.createRuleset(projectId, [{ name: "firestore.rules", content: rules }]);
  await api.updateOrCreateRelease(projectId, name, FIRESTORE_RELEASE);
  return name;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { project: { type: "string" }, apply: { type: "boolean", default: false } },
  });
  if (!values.project) throw new Error("Usage: npm run deploy-rules -- --project <id> [--apply]");
  // firebase-tools sends a plain-http Rules API (the tests' stand-in) no credentials; Google's
  // gets the operator's `firebase login` (or Application Default Credentials).
  if (new URL(rulesOrigin()).protocol !== "http:")
    await requireAuth({ ...getGlobalDefaultAccount() });
  const rules = readFileSync(join(REPO_ROOT, "firestore.rules"), "utf8");
  const plan = await planRules(values.project, rules);
  if (!plan.diff) {
    console.log(`${values.project}: the live Firestore rules are firestore.rules already`);
    return;
  }
  console.log(plan.diff);
  if (!values.apply) {
    console.log(
      `Dry run: nothing released. The diff above is what firestore.rules would replace in ${values.project}'s live rules (the DataSell app's rules included): merge them into firestore.rules first, then run again with --apply.`,
    );
    return;
  }
  console.log(`Released ${await releaseRules(values.project, rules)} for Firestore`);
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
