import { expect } from "chai";
import { getStatusMessage } from "../../src/domain/statusMessages";
import { orderSchema } from "../../src/domain/order";
import { FINAL_STATUSES, type DataSellStatus } from "../../src/domain/orderStatus";

const GSM7 = /^[A-Za-z0-9 @£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà]*$/;

const order = orderSchema.parse({
  status: "processing",
  network: "YELLO",
  packageName: "1GB",
  volume: "1",
  phoneNumber: "0501234567",
});

describe("status messages", () => {
  it("tells the customer their data was delivered, with bundle, network and number", () => {
    expect(getStatusMessage("delivered", order)).to.equal(
      "Your 1GB MTN data to 0501234567 has been delivered. Thank you for choosing DataSell.",
    );
  });

  it("says an order is being processed", () => {
    expect(getStatusMessage("processing", order)).to.equal(
      "Your 1GB MTN data order to 0501234567 is being processed. We will text you when it is delivered. DataSell",
    );
  });

  it("says what to expect while processing, within one SMS, dropping words before the estimate", () => {
    const half = "Half arrive within 10 min, 95% within 45 min.";
    expect(getStatusMessage("processing", order, half)).to.equal(
      `Your 1GB MTN data order to 0501234567 is being processed. ${half} We will text you when it is delivered. DataSell`,
    );
    const long = orderSchema.parse({ ...order, packageName: "Unlimited Night Bundle 100GB" });
    const text = getStatusMessage("processing", long, half);
    expect(text).to.have.length.at.most(160);
    expect(text)
      .to.contain(half)
      .and.match(/ DataSell$/);
    expect(text).to.not.contain("We will text you");
  });

  it("says a refunded order's payment has been refunded", () => {
    expect(getStatusMessage("refunded", order)).to.contain("your payment has been refunded");
  });

  it("names the failure and cancellation", () => {
    expect(getStatusMessage("failed", order)).to.contain("failed");
    expect(getStatusMessage("cancelled", order)).to.contain("was cancelled");
  });

  it("says how much went back to the wallet only once the credit is recorded on the order", () => {
    const credited = orderSchema.parse({
      ...order,
      refund: { state: "credited", amountPesewas: 500 },
    });
    expect(getStatusMessage("failed", credited)).to.equal(
      "Sorry, your 1GB MTN data order to 0501234567 failed. GHS 5.00 has been refunded to your DataSell wallet.",
    );
    expect(getStatusMessage("cancelled", credited)).to.contain(
      "GHS 5.00 has been refunded to your DataSell wallet.",
    );
    const manual = orderSchema.parse({ ...order, refund: { state: "manual", reason: "x" } });
    expect(getStatusMessage("failed", manual)).to.contain("Please contact DataSell support");
    expect(getStatusMessage("failed", order)).to.not.contain("GHS");
  });

  it("tells a customer whose refund was taken back that the data arrived after all", () => {
    const reversed = orderSchema.parse({
      ...order,
      refund: { state: "reversed", amountPesewas: 650 },
    });
    expect(getStatusMessage("delivered", reversed)).to.equal(
      "Good news: your 1GB MTN data to 0501234567 was delivered after all, so the GHS 6.50 refund was taken back from your DataSell wallet.",
    );
  });

  it("uses Telecel and AirtelTigo names and falls back to the volume", () => {
    const at = orderSchema.parse({
      status: "processing",
      network: "AT_PREMIUM",
      volume: "2",
      phoneNumber: "0271234567",
    });
    expect(getStatusMessage("delivered", at)).to.contain("2GB AirtelTigo data");
    const telecel = orderSchema.parse({
      status: "processing",
      network: "TELECEL",
      packageName: "5GB",
    });
    expect(getStatusMessage("delivered", telecel)).to.contain("5GB Telecel data");
  });

  it("fits one GSM-7 SMS for every status with long realistic details", () => {
    const long = orderSchema.parse({
      status: "processing",
      network: "AT_PREMIUM",
      packageName: "100GB",
      phoneNumber: "+233 24 123 4567",
    });
    for (const status of ["processing", ...FINAL_STATUSES] as DataSellStatus[]) {
      const text = getStatusMessage(status, long);
      expect(text.length, text).to.be.at.most(160);
      expect(text).to.match(GSM7);
    }
  });
});
