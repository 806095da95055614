import { expect } from "chai";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FUNCTIONS_DIR, REPO_ROOT } from "../../dev/emulators";

/**
 * The soak's short run (dev/soak/runSoak.ts): the whole system, 300 orders over 90 seconds with every
 * fault of the schedule and admins acting meanwhile, in its own emulators. It passes only with no
 * violation of any invariant.
 */
describe("the soak, short run: the whole system under load and faults", function () {
  this.timeout(20 * 60_000);

  it("ends quiet with 0 violations", async () => {
    const results = join(REPO_ROOT, ".tmp", "soak-short.json");
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ["-r", "tsx/cjs", "dev/soak/runSoak.ts"], {
        cwd: FUNCTIONS_DIR,
        env: {
          ...process.env,
          SOAK_ORDERS: "300",
          SOAK_CUSTOMERS: "200",
          SOAK_PLACE_SECONDS: "90",
          SOAK_QUIET_SECONDS: "300",
          SOAK_RESULTS: results,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.on("close", resolve);
    });
    const printed = output.join("");
    const lines = printed.trim().split("\n");
    expect(lines.at(-1), printed).to.equal("violations: 0");
    expect(code).to.equal(0);
    const { figures } = JSON.parse(readFileSync(results, "utf8")) as {
      figures: { orders: number; faults: unknown[]; admin: { syncs: number } };
    };
    expect(figures.orders).to.be.at.least(300);
    expect(figures.faults).to.have.length(8);
    expect(figures.admin.syncs).to.be.above(0);
  });
});
