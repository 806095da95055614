import { expect } from "chai";
import {
  activeConditions,
  alertChange,
  recipientsOf,
  runSucceeded,
  type AlertFacts,
} from "../../src/domain/alerts";

const NOW = Date.parse("2026-12-06T10:00:00Z");
const MIN = 60_000;
const HOURS_6 = 6 * 60 * MIN;
const quiet: AlertFacts = {
  nowMs: NOW,
  balance: { level: "ok", ghs: 900 },
  stalledNetworks: [],
  runs: [{ skipped: false, finishedAtMs: NOW - 2 * MIN, succeeded: true }],
  badMessagesLastHour: 0,
  refundsWaitingOverAnHour: 0,
  newOpenCases: 0,
  badSignaturesLastHour: 0,
};
const ids = (facts: Partial<AlertFacts>) =>
  activeConditions({ ...quiet, ...facts }).map((c) => c.id);

describe("operators' alerts (pure)", () => {
  it("holds nothing on a quiet day", () => {
    expect(ids({})).to.deep.equal([]);
  });

  it("names each condition that holds, with what the operator needs to read", () => {
    const all = activeConditions({
      ...quiet,
      balance: { level: "low", ghs: 420 },
      stalledNetworks: ["MTN"],
      badMessagesLastHour: 10,
      refundsWaitingOverAnHour: 2,
      newOpenCases: 1,
      badSignaturesLastHour: 12,
    });
    expect(all.map((c) => c.id)).to.deep.equal([
      "balance-low",
      "stalled-MTN",
      "messages-failing",
      "refunds-waiting",
      "reconciliation-cases",
      "webhook-signatures",
    ]);
    expect(all[0].text).to.equal("Datamart's balance is low: GHS 420.00");
    for (const c of all) expect(`DataSell alert cleared: ${c.text}.`.length).to.be.at.most(160);
    expect(ids({ balance: { level: "unknown" } })).to.deep.equal(["balance-unknown"]);
    expect(ids({ badMessagesLastHour: 9, badSignaturesLastHour: 9 })).to.deep.equal([]);
  });

  it("says the sync is stale after 15 minutes without a good run, and failing after 3 bad ones in a row", () => {
    const bad = { skipped: false, succeeded: false };
    const skipped = { skipped: true, succeeded: false, finishedAtMs: NOW - MIN };
    expect(ids({ runs: [{ ...bad, finishedAtMs: NOW - MIN }, skipped] })).to.deep.equal([
      "sync-stale",
    ]);
    expect(
      ids({
        runs: [
          { ...bad, finishedAtMs: NOW - MIN },
          skipped,
          { ...bad, finishedAtMs: NOW - 6 * MIN },
          { ...bad, finishedAtMs: NOW - 11 * MIN },
          { skipped: false, succeeded: true, finishedAtMs: NOW - 14 * MIN },
        ],
      }),
    ).to.deep.equal(["sync-failing"]);
    expect(
      ids({ runs: [{ skipped: false, succeeded: true, finishedAtMs: NOW - 16 * MIN }] }),
    ).to.deep.equal(["sync-stale"]);
    // No run yet (a new project): nothing to judge.
    expect(ids({ runs: [] })).to.deep.equal([]);
  });

  it("judges a run by what it got done", () => {
    const run = { skipped: false, finishedAt: "x", checked: 4, errors: 1 };
    expect(runSucceeded(run)).to.equal(true);
    expect(runSucceeded({ ...run, checked: 0, errors: 0 })).to.equal(true);
    expect(runSucceeded({ ...run, errors: 4 })).to.equal(false);
    expect(runSucceeded({ ...run, stoppedEarly: "provider-down" })).to.equal(false);
    expect(runSucceeded({ ...run, skipped: true })).to.equal(false);
    expect(runSucceeded({ ...run, finishedAt: undefined })).to.equal(false);
  });

  it("tells a start once, its clearing once, and not a restart within the throttle window", () => {
    const condition = { id: "balance-low", text: "Datamart's balance is low: GHS 420.00" };
    const start = alertChange(undefined, condition, NOW, HOURS_6)!;
    expect(start).to.deep.include({ kind: "start", tell: true });
    expect(start.message).to.equal("DataSell alert: Datamart's balance is low: GHS 420.00.");
    expect(alertChange(start.state, condition, NOW + MIN, HOURS_6)).to.equal(undefined);

    const clear = alertChange(start.state, undefined, NOW + 30 * MIN, HOURS_6)!;
    expect(clear).to.deep.include({ kind: "clear", tell: true });
    expect(clear.message).to.equal(
      "DataSell alert cleared: Datamart's balance is low: GHS 420.00.",
    );
    expect(alertChange(clear.state, undefined, NOW + 31 * MIN, HOURS_6)).to.equal(undefined);

    // Back within 6 hours of the last message: recorded, not told; so neither is its clearing.
    const again = alertChange(clear.state, condition, NOW + 60 * MIN, HOURS_6)!;
    expect(again).to.deep.include({ kind: "start", tell: false });
    expect(again.state.lastToldAtMs).to.equal(NOW);
    expect(alertChange(again.state, undefined, NOW + 90 * MIN, HOURS_6)).to.deep.include({
      kind: "clear",
      tell: false,
    });
    // Back after the window: told again.
    expect(alertChange(clear.state, condition, NOW + HOURS_6, HOURS_6)).to.deep.include({
      tell: true,
    });
  });

  it("reads a comma-separated list of recipients without blanks or repeats", () => {
    expect(recipientsOf(" a@x.gh, ,b@x.gh,a@x.gh ")).to.deep.equal(["a@x.gh", "b@x.gh"]);
    expect(recipientsOf("")).to.deep.equal([]);
  });
});
