import { expect } from "chai";
import { callerFromToken } from "../../src/triggers/caller";

describe("the caller from an ID token", () => {
  it("is an admin only with the custom claim admin exactly true, as in firestore.rules", () => {
    expect(callerFromToken({ uid: "a", admin: true })).to.deep.equal({ uid: "a", admin: true });
    for (const claim of ["true", "false", 1, "yes", {}, undefined])
      expect(callerFromToken({ uid: "u", admin: claim }).admin, JSON.stringify(claim)).to.equal(
        false,
      );
  });

  it("refuses a missing token or one without a uid as unauthenticated", () => {
    for (const token of [undefined, { uid: "" }]) {
      const error = (() => {
        try {
          return callerFromToken(token);
        } catch (e) {
          return e as { code: string };
        }
      })();
      expect(error).to.include({ code: "unauthenticated" });
    }
  });
});
