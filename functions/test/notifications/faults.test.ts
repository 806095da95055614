import { expect } from "chai";
import { faultTable, FAULTS_KEY, runFaultScenarios, type FaultRow } from "../../dev/faults";
import { MnotifyStandIn } from "../../dev/standins/mnotifyStandIn";
import { clearFirestore, testDb } from "../support/firestore";

describe("customer messages under injected faults (Firestore emulator, stand-in mNotify)", function () {
  this.timeout(180_000);
  let mnotify: MnotifyStandIn;
  let rows: FaultRow[];

  before(async () => {
    mnotify = await MnotifyStandIn.start({ apiKey: FAULTS_KEY });
    rows = await runFaultScenarios(testDb(), mnotify, () => clearFirestore());
  });
  after(() => mnotify.close());
  const row = (fault: string) => rows.find((r) => r.fault === fault)!;

  it("sends no message twice and loses none, whatever the fault", () => {
    const bad = rows.filter((r) => r.duplicates > 0 || r.lost > 0);
    expect(bad, faultTable(rows)).to.deep.equal([]);
  });

  it("sends every message once through outages mNotify refused (503, 429), slowness and a failed write", () => {
    for (const fault of [
      "none",
      "mNotify 503 for 30 minutes",
      "mNotify 429 for 60 minutes",
      "mNotify slow (answers within the timeout)",
      "Firestore write of SENT fails once",
      "crash after the record was created",
      "crash after the claim, before sending",
    ])
      expect(row(fault), fault).to.include({ sent: row(fault).messages, unknown: 0, failed: 0 });
  });

  it("marks UNKNOWN, never resends, what mNotify may have taken (late answer, reset, 502, crash while sending)", () => {
    for (const fault of [
      "accepted, then answered after the timeout",
      "accepted, then connection reset",
      "accepted, then HTTP 502",
      "crash while sending",
    ])
      expect(row(fault), fault).to.include({
        sent: row(fault).messages,
        unknown: row(fault).messages,
      });
  });
});
