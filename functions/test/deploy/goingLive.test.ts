import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { FUNCTIONS_DIR, REPO_ROOT } from "../../dev/emulators";
import { placeholderProblems, projectValues, senderIdProblem } from "../../dev/liveConfigCheck";
import { MnotifyStandIn } from "../../dev/standins/mnotifyStandIn";
import { RulesApiStandIn } from "../../dev/standins/rulesApiStandIn";

const run = promisify(execFile);
const firebaseJson = () =>
  JSON.parse(readFileSync(join(REPO_ROOT, "firebase.json"), "utf8")) as {
    firestore: Record<string, unknown>;
    functions: { predeploy: string[] }[];
    hosting: { target?: string; predeploy: string[] };
  };

describe("going live: what a deploy to DataSell's project may touch", function () {
  this.timeout(60_000);

  it("never deploys Firestore rules with a plain firebase deploy, and deploys the console to a target of its own", () => {
    const config = firebaseJson();
    expect(config.firestore).to.not.have.property("rules");
    expect(config.firestore).to.include({ indexes: "firestore.indexes.json" });
    expect(config.hosting.target).to.equal("console");
  });

  it("installs the dependencies and checks the project's params before it builds the functions", () => {
    const [steps] = firebaseJson().functions.map((f) => f.predeploy);
    expect(steps[0]).to.contain("scripts/ensure-deps.js");
    expect(steps[1]).to.contain("live-config-check");
    expect(steps[2]).to.contain("run build");
  });

  it("ships wallet refunds off: the operator switches them on deliberately", () => {
    expect(readFileSync(join(FUNCTIONS_DIR, ".env"), "utf8")).to.match(/^WALLET_REFUNDS=false$/m);
  });

  describe("placeholders", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "live-config-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("refuses a real project until its own env file sets each placeholder, naming each", () => {
      const problems = placeholderProblems(
        "datasell-live",
        projectValues("datasell-live", dir, dir),
      );
      expect(problems).to.have.length(2);
      expect(problems[0]).to.match(/^ORDER_LINK_BASE .* functions\/\.env\.datasell-live$/);
      expect(problems[1]).to.match(/^MNOTIFY_SENDER_ID /);
      writeFileSync(
        join(dir, ".env.datasell-live"),
        "ORDER_LINK_BASE=https://datasell.example/orders/\nMNOTIFY_SENDER_ID=DataSellGH\n",
      );
      expect(
        placeholderProblems("datasell-live", projectValues("datasell-live", dir, dir)),
      ).to.deep.equal([]);
      expect(placeholderProblems("demo-datasell", {})).to.deep.equal([]);
    });

    it("also reads the alias's env file, as firebase-tools does", () => {
      writeFileSync(
        join(dir, ".firebaserc"),
        JSON.stringify({ projects: { prod: "datasell-live" } }),
      );
      writeFileSync(
        join(dir, ".env.prod"),
        "ORDER_LINK_BASE=https://x.example/\nMNOTIFY_SENDER_ID=DS\n",
      );
      expect(
        placeholderProblems("datasell-live", projectValues("datasell-live", dir, dir)),
      ).to.deep.equal([]);
    });

    it("checks the sender id with mNotify once, and refuses one mNotify has not approved", async () => {
      const mnotify = await MnotifyStandIn.start({
        apiKey: "mn",
        registeredSenders: ["DataSellGH"],
      });
      try {
        const ask = (senderId: string, apiKey: string | undefined) =>
          senderIdProblem({
            projectId: "datasell-live",
            senderId,
            baseUrl: mnotify.baseUrl,
            apiKey,
            recordDir: dir,
          });
        expect(await ask("DataSellGH", undefined)).to.match(
          /not checked yet: deploy once with MNOTIFY_API_KEY/,
        );
        expect(await ask("NotOurs", "mn")).to.match(/NotOurs is Pending, not Approved/);
        expect(await ask("DataSellGH", "mn")).to.equal(undefined);
        expect(existsSync(join(dir, "datasell-live.json"))).to.equal(true);
        // Approved once: later deploys need no key and ask mNotify nothing.
        expect(await ask("DataSellGH", undefined)).to.equal(undefined);
      } finally {
        await mnotify.close();
      }
    });
  });

  describe("npm run deploy-rules (against a stand-in Rules API)", () => {
    const APP_RULES =
      "rules_version = '2';\n// the DataSell app's own rules\nservice cloud.firestore {}\n";
    let rulesApi: RulesApiStandIn;
    beforeEach(async () => {
      rulesApi = await RulesApiStandIn.start("datasell-live", APP_RULES);
    });
    afterEach(() => rulesApi.close());
    const deployRules = (...args: string[]) =>
      run(
        process.execPath,
        ["-r", "tsx/cjs", "dev/rulesDeploy.ts", "--project", "datasell-live", ...args],
        {
          cwd: FUNCTIONS_DIR,
          env: { ...process.env, FIREBASE_RULES_URL: rulesApi.url },
        },
      );

    it("shows what it would replace and, as a dry run, releases nothing", async () => {
      const { stdout } = await deployRules();
      expect(stdout)
        .to.contain("-// the DataSell app's own rules")
        .and.contain("Dry run: nothing released");
      expect(rulesApi.requests.filter((r) => r.method !== "GET")).to.deep.equal([]);
      expect(rulesApi.liveRules).to.equal(APP_RULES);
    });

    it("releases firestore.rules only with --apply", async () => {
      const { stdout } = await deployRules("--apply");
      expect(stdout).to.match(/Released projects\/datasell-live\/rulesets\/r2 for Firestore/);
      expect(rulesApi.liveRules).to.equal(readFileSync(join(REPO_ROOT, "firestore.rules"), "utf8"));
    });
  });
});
