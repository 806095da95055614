import { expect } from "chai";
import {
  callerFromToken,
  currentCaller,
  requireAdmin,
  type AccountState,
} from "../../src/triggers/caller";

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

  it("refuses a missing token or one without a uid with the words 'Sign in first'", () => {
    expect(() => callerFromToken(undefined)).to.throw("Sign in first");
  });

  it("lets only admins through to admin-only actions, telling others what they would have done", () => {
    expect(() => requireAdmin({ uid: "a", admin: true }, "refund an order")).to.not.throw();
    expect(() => requireAdmin({ uid: "u", admin: false }, "refund an order"))
      .to.throw("Only admins can refund an order")
      .with.property("code", "permission-denied");
  });
});

describe("the current caller: an admin's account is checked live", () => {
  const signedInAt = Date.parse("2026-12-06T10:00:00Z") / 1000;
  const admin = { uid: "ops", admin: true, auth_time: signedInAt };
  const accounts =
    (state: AccountState | undefined) =>
    (uid: string): Promise<AccountState | undefined> =>
      uid === "ops" ? Promise.resolve(state) : Promise.reject(new Error(`asked for ${uid}`));
  const refusal = (token: Parameters<typeof currentCaller>[0], state?: AccountState) =>
    currentCaller(token, accounts(state)).then(
      () => undefined,
      (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
    );

  it("asks nothing about a customer", async () => {
    const lookups: string[] = [];
    const caller = await currentCaller({ uid: "ama" }, (uid) => {
      lookups.push(uid);
      return Promise.resolve(undefined);
    });
    expect(caller).to.deep.equal({ uid: "ama", admin: false });
    expect(lookups).to.deep.equal([]);
  });

  it("lets in an admin whose account is live and whose sign-in is after any revocation", async () => {
    for (const tokensValidAfterTime of [undefined, "2026-12-06T09:59:59Z", "2026-12-06T10:00:00Z"])
      expect(
        await currentCaller(admin, accounts({ disabled: false, tokensValidAfterTime })),
        tokensValidAfterTime,
      ).to.deep.equal({ uid: "ops", admin: true });
  });

  it("refuses an admin whose account is gone, disabled, or whose session was revoked, saying which", async () => {
    const live = { disabled: false };
    expect(await refusal(admin, undefined)).to.deep.equal({
      code: "unauthenticated",
      message: "This account no longer exists",
    });
    expect(await refusal(admin, { disabled: true })).to.deep.equal({
      code: "unauthenticated",
      message: "This account is disabled",
    });
    const revoked = { code: "unauthenticated", message: "This session was revoked: sign in again" };
    expect(
      await refusal(admin, { ...live, tokensValidAfterTime: "2026-12-06T10:00:01Z" }),
    ).to.deep.equal(revoked);
    for (const auth_time of [undefined, "1765015200", null])
      expect(await refusal({ ...admin, auth_time }, live), String(auth_time)).to.deep.equal(
        revoked,
      );
  });
});
