import { expect } from "chai";
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  loadFirebaseJson,
  planFunctionsDeploy,
  validateIndexSpec,
  type DeployPlan,
} from "../../dev/deployCheck";
import { FUNCTIONS_DIR, loadRules, REPO_ROOT } from "../../dev/emulators";

const PROJECT = "datasell-deploy-check";
const dotenv = (text: string) =>
  Object.fromEntries(
    text
      .split("\n")
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );

describe("firebase deploy, prepared offline by firebase-tools on the built code", function () {
  this.timeout(120_000);
  let plan: DeployPlan;
  const scratch: string[] = [];
  const scratchDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "deploy-check-"));
    scratch.push(dir);
    return dir;
  };

  before(async () => {
    plan = await planFunctionsDeploy({ projectId: PROJECT });
  });
  after(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("deploys on Node.js 24, a runtime Cloud Run functions supports until 2028", () => {
    expect(plan.runtime).to.equal("nodejs24");
    const engines = (
      JSON.parse(readFileSync(join(FUNCTIONS_DIR, "package.json"), "utf8")) as {
        engines: { node: string };
      }
    ).engines;
    expect(engines.node).to.equal("24");
  });

  it("resolves every param from the committed functions/.env, without a prompt", () => {
    const committed = dotenv(readFileSync(join(FUNCTIONS_DIR, ".env"), "utf8"));
    expect(plan.params).to.deep.equal(committed);
    expect(plan.params.DATAMART_BASE_URL).to.equal("https://api.datamartgh.shop/api/developer");
    expect(plan.params.MNOTIFY_BASE_URL).to.equal("https://api.mnotify.com/api");
  });

  it("binds exactly the three secrets the README tells operators to set", () => {
    expect([...plan.secrets].sort()).to.deep.equal([
      "DATAMART_API_KEY",
      "DATAMART_WEBHOOK_SECRET",
      "MNOTIFY_API_KEY",
    ]);
  });

  it("caps the instances of the HTTPS api and of every callable", () => {
    const exposed = plan.endpoints.filter((e) => e.httpsTrigger || e.callableTrigger);
    expect(exposed.map((e) => e.id).sort()).to.deep.equal([
      "adminAcknowledgeAlert",
      "adminCheckSupplierHealth",
      "adminReconcileDatamart",
      "adminRefundOrder",
      "adminResendNotification",
      "adminSyncDatamartOrders",
      "adminUpdateReconciliationCase",
      "api",
      "getOrderStatus",
      "registerPushToken",
      "unregisterPushToken",
    ]);
    for (const endpoint of exposed) expect(endpoint.maxInstances, endpoint.id).to.equal(10);
    expect(plan.endpoints.every((e) => e.region === "us-central1")).to.be.true;
  });

  it("uploads the built code and its manifest, and no tests, tools, sources or secrets", () => {
    expect(plan.uploadFiles).to.include.members([
      "lib/index.js",
      "package.json",
      "package-lock.json",
      ".env",
    ]);
    const unwanted = plan.uploadFiles.filter((f) =>
      /^(src|test|dev|bench|node_modules)\/|\.local$|^\.env\.|\.ts$/.test(f),
    );
    expect(unwanted).to.deep.equal([]);
  });

  it("refuses a decommissioned runtime, as firebase deploy does", async () => {
    const project = scratchDir();
    const config = JSON.parse(readFileSync(join(REPO_ROOT, "firebase.json"), "utf8")) as {
      functions: { runtime: string }[];
    };
    config.functions[0].runtime = "nodejs20";
    writeFileSync(join(project, "firebase.json"), JSON.stringify(config));
    symlinkSync(FUNCTIONS_DIR, join(project, "functions"));
    const error = await planFunctionsDeploy({ projectId: PROJECT, projectDir: project }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.match(/Node\.js 20 was decommissioned on 2026-10-30/);
  });

  it("refuses a param with no value instead of prompting", async () => {
    const configDir = scratchDir();
    const env = readFileSync(join(FUNCTIONS_DIR, ".env"), "utf8");
    writeFileSync(join(configDir, ".env"), env.replace(/^SYNC_CONCURRENCY=.*$/m, ""));
    const error = await planFunctionsDeploy({ projectId: PROJECT, configDir }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.match(
      /no value for the following environment variables: SYNC_CONCURRENCY/,
    );
  });

  it("finds firebase.json valid against firebase-tools' schema", () => {
    expect(() => loadFirebaseJson()).not.to.throw();
    const project = scratchDir();
    copyFileSync(join(REPO_ROOT, "firebase.json"), join(project, "firebase.json"));
    const config = JSON.parse(readFileSync(join(project, "firebase.json"), "utf8")) as Record<
      string,
      unknown
    >;
    writeFileSync(join(project, "firebase.json"), JSON.stringify({ ...config, functionz: [] }));
    expect(() => loadFirebaseJson(project)).to.throw(/schema/);
  });

  it("accepts firestore.indexes.json as an index deploy does, and refuses an invalid index", () => {
    const spec = JSON.parse(readFileSync(join(REPO_ROOT, "firestore.indexes.json"), "utf8")) as {
      indexes: { fields: { order?: string }[] }[];
    };
    expect(() => validateIndexSpec(spec)).not.to.throw();
    spec.indexes[0].fields[0].order = "UPWARDS";
    expect(() => validateIndexSpec(spec)).to.throw(/order/);
  });

  it("compiles firestore.rules on the Firestore emulator, and refuses rules with an error", async () => {
    const firestore = {
      host: String(process.env.FIRESTORE_EMULATOR_HOST),
      projectId: "demo-datasell-rules-compile",
    };
    const rules = readFileSync(join(REPO_ROOT, "firestore.rules"), "utf8");
    await loadRules(firestore, rules);
    const broken = rules.replace("request.auth != null", "request.auth !=");
    const error = await loadRules(firestore, broken).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.match(/refused the rules/);
  });
});
