import { expect } from "chai";
import type { DocumentReference, Timestamp } from "firebase-admin/firestore";
import { applyStatus } from "../../src/orders/applyStatus";
import { clearFirestore, REFUNDS_ON, storeOrder, testDb } from "../support/firestore";
import { COLLECTIONS } from "../../src/contract";

async function history(ref: DocumentReference) {
  const snapshot = await ref.collection(COLLECTIONS.statusHistory).get();
  return snapshot.docs.map((d) => d.data());
}

describe("applyStatus (Firestore emulator)", () => {
  beforeEach(clearFirestore);

  it("marks the order delivered when Datamart says completed, with raw status and history, its needsAttention flag cleared", async () => {
    const ref = await storeOrder("order-1", {
      sync: { needsAttention: true, needsAttentionReason: "still open 24 h after it was placed" },
    });
    const at = new Date("2026-11-26T10:00:00.000Z");
    const outcome = await applyStatus(
      testDb(),
      ref,
      {
        datamartStatus: "completed",
        source: "poll",
        at,
      },
      REFUNDS_ON,
    );
    expect(outcome).to.deep.equal({ kind: "changed", from: "processing", to: "delivered" });

    const order = (await ref.get()).data()!;
    expect(order).to.include({
      status: "delivered",
      datamartStatus: "completed",
      lastSyncedAt: at.toISOString(),
    });
    expect(order).to.not.have.property("sync");
    const entries = await history(ref);
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({
      from: "processing",
      to: "delivered",
      datamartStatus: "completed",
      source: "poll",
    });
    expect((entries[0].at as Timestamp).toDate().toISOString()).to.equal(at.toISOString());
  });

  it("works from a snapshot the caller already read", async () => {
    const ref = await storeOrder("order-2");
    const outcome = await applyStatus(
      testDb(),
      await ref.get(),
      {
        datamartStatus: "failed",
        source: "admin",
      },
      REFUNDS_ON,
    );
    expect(outcome.kind).to.equal("changed");
    expect((await ref.get()).get("status")).to.equal("failed");
  });

  it("decides again when the snapshot is stale", async () => {
    const ref = await storeOrder("order-3");
    const stale = await ref.get();
    await applyStatus(testDb(), ref, { datamartStatus: "refunded", source: "webhook" }, REFUNDS_ON);
    const outcome = await applyStatus(
      testDb(),
      stale,
      {
        datamartStatus: "completed",
        source: "poll",
      },
      REFUNDS_ON,
    );
    expect(outcome).to.deep.equal({ kind: "ignored-final", status: "refunded" });
    expect((await ref.get()).get("status")).to.equal("refunded");
    expect(await history(ref)).to.have.length(1);
  });

  it("writes nothing when the status did not change", async () => {
    const ref = await storeOrder("order-4");
    const before = await ref.get();
    const outcome = await applyStatus(
      testDb(),
      ref,
      { datamartStatus: "waiting", source: "poll" },
      REFUNDS_ON,
    );
    expect(outcome).to.deep.equal({ kind: "unchanged", status: "processing" });
    expect((await ref.get()).updateTime!.isEqual(before.updateTime!)).to.be.true;
    expect(await history(ref)).to.have.length(0);
  });

  it("treats a stored legacy success as processing: pending changes nothing", async () => {
    const ref = await storeOrder("order-5", { status: "success" });
    expect(
      await applyStatus(testDb(), ref, { datamartStatus: "pending", source: "poll" }, REFUNDS_ON),
    ).to.deep.equal({
      kind: "unchanged",
      status: "success",
    });
    expect(
      await applyStatus(testDb(), ref, { datamartStatus: "completed", source: "poll" }, REFUNDS_ON),
    ).to.deep.equal({
      kind: "changed",
      from: "success",
      to: "delivered",
    });
  });

  it("never moves a final order back", async () => {
    const ref = await storeOrder("order-6", { status: "delivered" });
    const outcome = await applyStatus(
      testDb(),
      ref,
      {
        datamartStatus: "processing",
        source: "webhook",
      },
      REFUNDS_ON,
    );
    expect(outcome).to.deep.equal({ kind: "ignored-final", status: "delivered" });
    expect((await ref.get()).get("status")).to.equal("delivered");
    expect(await history(ref)).to.have.length(0);
  });

  it("lets only Datamart's later delivery move a failed order; cancelled and refunded stay final", async () => {
    for (const status of ["cancelled", "refunded", "delivered"]) {
      const ref = await storeOrder(`final-${status}`, { status });
      const outcome = await applyStatus(
        testDb(),
        ref,
        { datamartStatus: status === "delivered" ? "failed" : "completed", source: "poll" },
        REFUNDS_ON,
      );
      expect(outcome.kind, status).to.equal("ignored-final");
    }
    const failed = await storeOrder("final-failed", { status: "failed" });
    expect(
      await applyStatus(
        testDb(),
        failed,
        { datamartStatus: "completed", source: "poll" },
        REFUNDS_ON,
      ),
    ).to.deep.equal({ kind: "changed", from: "failed", to: "delivered" });
  });

  it("reports an unknown Datamart status and leaves the order as it is", async () => {
    const ref = await storeOrder("order-7");
    const before = await ref.get();
    const outcome = await applyStatus(
      testDb(),
      before,
      {
        datamartStatus: "on_hold",
        source: "poll",
      },
      REFUNDS_ON,
    );
    expect(outcome).to.deep.equal({ kind: "unknown-status", datamartStatus: "on_hold" });
    expect((await ref.get()).updateTime!.isEqual(before.updateTime!)).to.be.true;
  });

  it("reports a missing order", async () => {
    const ref = testDb().collection(COLLECTIONS.transactions).doc("missing");
    expect(
      await applyStatus(testDb(), ref, { datamartStatus: "completed", source: "user" }, REFUNDS_ON),
    ).to.deep.equal({
      kind: "not-found",
    });
  });

  it("records one change and one history entry when two calls race for the same change", async () => {
    const ref = await storeOrder("order-8");
    const snapshot = await ref.get();
    const outcomes = await Promise.all([
      applyStatus(testDb(), snapshot, { datamartStatus: "completed", source: "poll" }, REFUNDS_ON),
      applyStatus(
        testDb(),
        snapshot,
        { datamartStatus: "completed", source: "webhook" },
        REFUNDS_ON,
      ),
      applyStatus(testDb(), ref, { datamartStatus: "completed", source: "user" }, REFUNDS_ON),
    ]);
    expect(outcomes.filter((o) => o.kind === "changed")).to.have.length(1);
    expect(await history(ref)).to.have.length(1);
  });
});
