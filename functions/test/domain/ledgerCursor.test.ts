import { expect } from "chai";
import {
  advance,
  movementIdentity,
  pageNow,
  reportWindow,
  startsReport,
  unread,
} from "../../src/domain/ledgerCursor";
import type { Movement } from "../../src/domain/reconciliation";

const move = (reference: string, createdAt: string, type = "purchase"): Movement => ({
  type,
  amountPesewas: 598,
  status: "completed",
  reference,
  createdAt,
});
const t1 = "2026-12-01T10:00:01.000Z";
const t2 = "2026-12-01T10:00:02.000Z";
const t3 = "2026-12-01T10:00:03.000Z";

describe("reading Datamart's ledger while it grows (domain/ledgerCursor)", () => {
  describe("pageNow", () => {
    it("stays on the page while fewer than a page arrived: the cursor skips the re-read ones", () => {
      expect(pageNow({ page: 3, totalItems: 200 }, 299, 100)).to.equal(3);
      expect(pageNow({ page: 3, totalItems: 200 }, 200, 100)).to.equal(3);
    });

    it("moves down a page for every whole page that arrived at the head", () => {
      expect(pageNow({ page: 3, totalItems: 200 }, 300, 100)).to.equal(4);
      expect(pageNow({ page: 3, totalItems: 200 }, 455, 100)).to.equal(5);
    });

    it("moves up when movements left, reading some twice rather than skipping any, never above page 1", () => {
      expect(pageNow({ page: 3, totalItems: 200 }, 199, 100)).to.equal(2);
      expect(pageNow({ page: 2, totalItems: 200 }, 0, 100)).to.equal(1);
    });

    it("keeps the page when either size is unknown", () => {
      expect(pageNow({ page: 3 }, 500, 100)).to.equal(3);
      expect(pageNow({ page: 3, totalItems: 200 }, undefined, 100)).to.equal(3);
    });
  });

  describe("unread and advance", () => {
    it("skips what is newer than the cursor and what was seen at its time, keeps what is older", () => {
      const cursor = advance(undefined, [move("A", t3), move("B", t2)]);
      expect(cursor).to.deep.equal({ createdAt: t2, seenAt: [movementIdentity(move("B", t2))] });
      const page = [move("NEW", t3), move("B", t2), move("C", t2), move("D", t1)];
      expect(unread(page, cursor).map((m) => m.reference)).to.deep.equal(["C", "D"]);
    });

    it("reads two movements alike in every field (a double charge in one second) as two", () => {
      const twice = [move("X", t2), move("X", t2)];
      const cursor = advance(undefined, twice.slice(0, 1));
      expect(unread(twice, cursor)).to.have.length(1);
      const both = advance(cursor, unread(twice, cursor));
      expect(both?.seenAt).to.have.length(2);
      expect(unread(twice, both)).to.deep.equal([]);
    });

    it("reads everything with no cursor, and an empty page leaves the cursor where it was", () => {
      const page = [move("A", t2)];
      expect(unread(page, undefined)).to.deep.equal(page);
      const cursor = advance(undefined, page);
      expect(advance(cursor, [])).to.equal(cursor);
    });

    it("starts the seen list afresh at a new time", () => {
      const cursor = advance(undefined, [move("A", t3)]);
      expect(advance(cursor, [move("B", t2)])?.seenAt).to.deep.equal([
        movementIdentity(move("B", t2)),
      ]);
    });
  });

  describe("reportWindow and startsReport", () => {
    const now = Date.parse("2026-12-06T03:00:00.000Z");

    it("reaches the first window back from now, and later ones from the last end less the overlap", () => {
      expect(reportWindow(undefined, now, 7 * 86_400_000, 7_200_000)).to.deep.equal({
        windowStart: "2026-11-29T03:00:00.000Z",
        windowEnd: "2026-12-06T03:00:00.000Z",
      });
      expect(
        reportWindow("2026-12-05T03:00:00.000Z", now, 7 * 86_400_000, 7_200_000),
      ).to.deep.equal({
        windowStart: "2026-12-05T01:00:00.000Z",
        windowEnd: "2026-12-06T03:00:00.000Z",
      });
    });

    it("never starts a window after its end", () => {
      const future = "2026-12-07T00:00:00.000Z";
      expect(reportWindow(future, now, 0, 0).windowStart).to.equal("2026-12-06T03:00:00.000Z");
    });

    it("starts one scheduled report a day, and an admin's whenever asked", () => {
      expect(startsReport("schedule", undefined, now)).to.equal(true);
      expect(startsReport("schedule", "2026-12-05T03:04:00.000Z", now)).to.equal(true);
      expect(startsReport("schedule", "2026-12-06T03:00:00.000Z", now + 300_000)).to.equal(false);
      expect(startsReport("admin", "2026-12-06T03:00:00.000Z", now + 300_000)).to.equal(true);
    });
  });
});
