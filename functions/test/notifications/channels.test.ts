import { expect } from "chai";
import type { Timestamp } from "firebase-admin/firestore";
import { eventually } from "../support/eventually";
import { anOrder } from "../support/firestore";
import {
  functionsStack,
  retriedOnceForLostEvents,
  type FunctionsStack,
} from "../support/functionsStack";
import { COLLECTIONS } from "../../src/contract";

const AMA = { uid: "push-ama", email: "ama-login@datasell.test" };
const KOFI = { uid: "push-kofi", email: "kofi-login@datasell.test" };

describe("SMS, push and email, each as the customer chose (functions emulator, stand-ins)", function () {
  this.timeout(120_000);
  retriedOnceForLostEvents(this);
  let stack: FunctionsStack;
  let token: string;

  before(async () => {
    stack = await functionsStack();
  });
  beforeEach(async () => {
    await stack.reset();
    token = await stack.idToken(AMA);
  });

  const user = () => stack.db.collection(COLLECTIONS.users).doc(AMA.uid);
  const register = (deviceToken: string) =>
    stack.call("registerPushToken", { token: deviceToken, platform: "android" }, token);
  const deliver = async (id: string, fields: Record<string, unknown> = {}) => {
    const ref = stack.db.collection(COLLECTIONS.transactions).doc(id);
    await ref.set(anOrder({ userId: AMA.uid, ...fields }));
    await ref.update({ status: "delivered" });
    return ref;
  };
  const record = (id: string, channel: "push" | "email" | "sms") =>
    stack.db
      .collection(COLLECTIONS.orderNotifications)
      .doc(channel === "sms" ? `${id}_delivered` : `${id}_delivered_${channel}`);
  const settled = (id: string, channel: "push" | "email" | "sms") =>
    eventually(`${id}'s ${channel} record to settle`, async () => {
      const data = (await record(id, channel).get()).data();
      return data && data.state !== "PENDING" && data.state !== "PROCESSING" ? data : undefined;
    });
  const mail = () => stack.db.collection("mail").get();

  it("by default texts and pushes to every device, and sends no email", async () => {
    await user().set({ email: "ama@datasell.test" });
    expect((await register("device-token-one-000000000")).body.result).to.include({
      success: true,
    });
    await register("device-token-two-000000000");
    await deliver("p-1");
    expect(await settled("p-1", "push")).to.include({ state: "SENT" });
    expect(await settled("p-1", "email")).to.include({
      state: "SKIPPED",
      reason: "the customer opted out",
    });
    expect(stack.fcm.messages.map((m) => m.token).sort()).to.deep.equal([
      "device-token-one-000000000",
      "device-token-two-000000000",
    ]);
    expect(stack.fcm.messages[0]).to.deep.include({
      title: "Data delivered",
      data: { orderId: "p-1", status: "delivered" },
      link: "https://datasell.web.app/orders/p-1",
    });
    expect(stack.fcm.messages[0].body).to.contain("has been delivered");
    expect((await settled("p-1", "sms")).state).to.equal("SENT");
    expect((await mail()).size).to.equal(0);
  });

  it("respects the customer's choice: email on, SMS and push off", async () => {
    await user().set({
      email: "ama@datasell.test",
      notificationPreferences: { sms: false, push: false, email: true },
    });
    await register("device-token-one-000000000");
    await deliver("p-2");
    expect(await settled("p-2", "email")).to.include({ state: "SENT" });
    expect(await settled("p-2", "sms")).to.include({
      state: "SKIPPED",
      reason: "the customer opted out",
    });
    expect(await settled("p-2", "push")).to.include({ state: "SKIPPED" });
    const queued = await mail();
    expect(queued.docs.map((d) => d.data())).to.deep.equal([
      {
        to: "ama@datasell.test",
        message: {
          subject: "Data delivered - DataSell",
          text: queued.docs[0].get("message.text") as string,
          html: queued.docs[0].get("message.html") as string,
        },
        // Deleted by Firestore's TTL after MESSAGE_RETENTION_DAYS.
        expireAt: queued.docs[0].get("expireAt") as Timestamp,
      },
    ]);
    expect((queued.docs[0].get("expireAt") as Timestamp).toMillis()).to.be.closeTo(
      Date.now() + 90 * 86_400_000,
      5 * 60_000,
    );
    expect(queued.docs[0].get("message.text")).to.contain("has been delivered");
    expect(stack.fcm.messages).to.have.length(0);
    expect(await stack.smsOnceTriggersSettle()).to.have.length(0);
  });

  it("emails the sign-in account's address when the users document has none", async () => {
    await user().set({ notificationPreferences: { email: true } });
    await deliver("p-3");
    expect(await settled("p-3", "email")).to.include({ state: "SENT" });
    expect((await mail()).docs[0].get("to")).to.equal(AMA.email);
  });

  it("deletes the tokens FCM calls unregistered and still reaches the live device", async () => {
    await register("dead-token-of-an-old-phone-0000");
    await register("device-token-live-00000000000");
    await deliver("p-4");
    expect(await settled("p-4", "push")).to.include({ state: "SENT" });
    const left = await user().collection(COLLECTIONS.pushTokens).get();
    expect(left.docs.map((d) => d.get("token") as string)).to.deep.equal([
      "device-token-live-00000000000",
    ]);
  });

  it("records a push to a customer with no live device as skipped, with the reason", async () => {
    await register("dead-token-of-an-old-phone-0000");
    await deliver("p-5");
    expect(await settled("p-5", "push")).to.include({
      state: "SKIPPED",
      reason: "no live device: every token was unregistered",
    });
  });

  it("sends one push per device and one email for a status change replayed three times", async () => {
    await user().set({ email: "ama@datasell.test", notificationPreferences: { email: true } });
    await register("device-token-one-000000000");
    await register("device-token-two-000000000");
    const ref = await deliver("p-6");
    // Three more events for the same change: the status goes back and forth in the app's data.
    for (let i = 0; i < 3; i++) {
      await ref.update({ status: "processing" });
      await ref.update({ status: "delivered" });
    }
    expect(await settled("p-6", "email")).to.include({ state: "SENT" });
    await stack.smsOnceTriggersSettle();
    const delivered = stack.fcm.messages.filter((m) => m.data?.status === "delivered");
    expect(delivered.map((m) => m.token).sort()).to.deep.equal([
      "device-token-one-000000000",
      "device-token-two-000000000",
    ]);
    expect((await mail()).docs.filter((d) => d.id === "p-6_delivered")).to.have.length(1);
  });

  it("sends the SMS at once while FCM is down; the push is left for an admin as unknown", async () => {
    await register("device-token-one-000000000");
    stack.fcm.setOutage(true);
    await deliver("p-7");
    expect((await settled("p-7", "sms")).state).to.equal("SENT");
    // FCM's `unavailable` leaves the push's outcome unknown (shared/providers.md): never resent by itself.
    expect(await settled("p-7", "push")).to.include({ state: "UNKNOWN" });
    expect(stack.fcm.messages).to.have.length(0);
  });

  it("moves a device to the customer who registered it last: the first customer's pushes no longer reach it", async () => {
    const kofiToken = await stack.idToken(KOFI);
    await register("shared-phone-token-0000000");
    await register("ama-own-phone-token-000000");
    // The phone is handed on to Kofi, who signs in on it.
    await stack.call("registerPushToken", { token: "shared-phone-token-0000000" }, kofiToken);
    await deliver("p-8");
    expect(await settled("p-8", "push")).to.include({ state: "SENT" });
    expect(stack.fcm.messages.map((m) => m.token)).to.deep.equal(["ama-own-phone-token-000000"]);
    const kofiDevices = await stack.db
      .collection(COLLECTIONS.users)
      .doc(KOFI.uid)
      .collection(COLLECTIONS.pushTokens)
      .get();
    expect(kofiDevices.docs.map((d) => d.get("token") as string)).to.deep.equal([
      "shared-phone-token-0000000",
    ]);
  });

  it("keeps at most 10 devices per customer, the most recently seen", async () => {
    for (let i = 0; i < 12; i += 1)
      await register(`device-token-${String(i).padStart(2, "0")}-00000000`);
    const devices = await user().collection(COLLECTIONS.pushTokens).get();
    expect(devices.docs.map((d) => d.get("token") as string).sort()).to.deep.equal(
      Array.from(
        { length: 10 },
        (_, i) => `device-token-${String(i + 2).padStart(2, "0")}-00000000`,
      ),
    );
  });

  it("refuses a malformed push token and needs a sign-in", async () => {
    expect((await register("short")).body.error?.status).to.equal("INVALID_ARGUMENT");
    const anonymous = await stack.call("registerPushToken", {
      token: "device-token-one-000000000",
    });
    expect(anonymous.body.error?.status).to.equal("UNAUTHENTICATED");
    await register("device-token-one-000000000");
    expect(
      (await stack.call("unregisterPushToken", { token: "device-token-one-000000000" }, token)).body
        .result,
    ).to.deep.equal({ success: true });
    expect((await user().collection(COLLECTIONS.pushTokens).get()).size).to.equal(0);
  });
});
