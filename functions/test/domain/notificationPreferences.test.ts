import { expect } from "chai";
import { chosenChannels } from "../../src/domain/notificationPreferences";

const all = { sms: true, push: true, email: true };

describe("notification preferences", () => {
  it("gives SMS and push, not email, to a customer who chose nothing", () => {
    expect(chosenChannels(undefined, all)).to.deep.equal({ sms: true, push: true, email: false });
    expect(chosenChannels({}, all)).to.deep.equal({ sms: true, push: true, email: false });
  });

  it("follows the customer's choice, channel by channel", () => {
    expect(chosenChannels({ sms: false, email: true }, all)).to.deep.equal({
      sms: false,
      push: true,
      email: true,
    });
  });

  it("never sends on a channel switched off for everyone", () => {
    expect(chosenChannels({ email: true }, { sms: true, push: false, email: false })).to.deep.equal(
      { sms: true, push: false, email: false },
    );
  });

  it("reads an unreadable choice as no choice", () => {
    expect(chosenChannels({ sms: "no" }, all)).to.deep.equal({
      sms: true,
      push: true,
      email: false,
    });
    expect(chosenChannels("all", all)).to.deep.equal({ sms: true, push: true, email: false });
  });
});
