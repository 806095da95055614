import { expect } from "chai";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../dev/authEmulator";
import { buildConsole, serveConsole } from "../../dev/consoleServer";
import { REPO_ROOT } from "../../dev/emulators";
import { listen } from "../../dev/standins/http";
import { placeOrder } from "../support/datamart";
import {
  FUNCTIONS_PROJECT,
  functionsStack,
  retriedOnceForLostEvents,
  type FunctionsStack,
} from "../support/functionsStack";
import { Timestamp } from "firebase-admin/firestore";
import { COLLECTIONS, type SupplierHealthRecord } from "../../src/contract";

/** Debian's Chromium (`apt-get install -y chromium`; npm test installs it when it is missing, as root). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = join(REPO_ROOT, ".tmp", "console-screenshots");
const ADMIN = { uid: "console-admin", email: "ops@datasell.demo", admin: true };
const CUSTOMER = { uid: "console-customer", email: "ama@datasell.demo" };

describe("admin console in Chromium (functions and auth emulators, stand-ins)", function () {
  this.timeout(180_000);
  retriedOnceForLostEvents(this);
  let stack: FunctionsStack;
  let site: Awaited<ReturnType<typeof serveConsole>>;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  before(async () => {
    stack = await functionsStack();
    buildConsole();
    site = await serveConsole({
      projectId: FUNCTIONS_PROJECT,
      emulators: {
        auth: stack.emulator.authHost,
        firestore: String(process.env.FIRESTORE_EMULATOR_HOST),
        functions: stack.emulator.functionsHost,
      },
    });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });
  beforeEach(async () => {
    await stack.reset();
    // Both accounts exist (with their claims) in the Auth emulator before the page signs in.
    await stack.idToken(ADMIN);
    await stack.idToken(CUSTOMER);
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning")
        pageErrors.push(`console ${message.type()}: ${message.text()}`);
    });
  });
  afterEach(function () {
    // What the page itself said, for the reader of a failure.
    if (this.currentTest?.state !== "passed" && pageErrors.length)
      console.log(`page errors:\n${pageErrors.join("\n")}`);
    return page?.close();
  });

  async function signIn(email: string): Promise<void> {
    await page.goto(site.url);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  const shoot = (panel: string) =>
    page.locator(`#${panel}`).screenshot({ path: join(SCREENSHOTS, `${panel}.png`) });

  it("signs an admin in, shows the runs live, syncs now, checks an order and looks one up", async () => {
    const order = await placeOrder(stack.datamart, "stuck-1", "completed", {}, stack.db);
    await stack.db.collection(COLLECTIONS.transactions).doc("stuck-1").update({
      "sync.needsAttention": true,
      "sync.needsAttentionReason": "still open 24 h after it was placed",
    });
    const earlierRun = {
      runId: "earlier",
      trigger: "schedule",
      startedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      skipped: false,
      checked: 3,
      updated: 1,
      errors: 1,
      errorsByKind: { server: 1 },
      needsAttention: 1,
    };
    await stack.db.collection(COLLECTIONS.syncRuns).doc("earlier").set(earlierRun);

    // The reading the scheduled check stored half an hour ago, as production always has one.
    const earlier: SupplierHealthRecord<Timestamp> = {
      checkedAt: Timestamp.fromMillis(Date.now() - 30 * 60_000),
      balance: 80,
      level: "critical",
      daysOfCover: null,
      thresholds: { lowGhs: 500, criticalGhs: 100 },
      delivery: { today: {}, last7d: {} },
      open: {},
      stalledNetworks: [],
      trackerMessage: null,
    };
    await stack.db.collection(COLLECTIONS.supplierHealth).doc("current").set(earlier);

    await signIn(ADMIN.email);
    const runs = page.locator("#sync tbody tr");
    await runs.first().waitFor();
    expect(await runs.count()).to.equal(1);
    expect(await page.locator("#sync").textContent()).to.contain("server 1");

    // "Check now" asks Datamart, which has delivered it: the flag goes, and so does the row.
    const row = page.locator("#attention tbody tr", { hasText: "stuck-1" });
    await row.waitFor();
    await shoot("attention");
    await page.getByRole("button", { name: "Check order stuck-1 now" }).click();
    await row.waitFor({ state: "detached" });
    // What the operator reads stays after the row has gone.
    await page
      .locator("#attention .receipts", { hasText: "Order stuck-1: Datamart asked, now delivered." })
      .waitFor();
    const checked = await stack.db.collection(COLLECTIONS.transactions).doc("stuck-1").get();
    expect(checked.get("status")).to.equal("delivered");

    await page.getByRole("button", { name: "Sync now" }).click();
    await page.locator("#sync .result", { hasText: "Done:" }).waitFor();
    await runs.nth(1).waitFor();
    await shoot("sync");

    const reference = (order.datamartResponse as { transactionReference: string })
      .transactionReference;
    await page.getByLabel(/Datamart reference/).fill(reference);
    await page.getByRole("button", { name: "Look up" }).click();
    await page.locator("#lookup .details", { hasText: "Order stuck-1" }).waitFor();
    expect(await page.locator("#lookup .details").textContent()).to.contain("delivered");
    // Supplier health: the server reads the stand-in's balance; the key never reaches the page.
    await page.locator("#supplier dd.level-critical", { hasText: "GHS 80.00 CRITICAL" }).waitFor();
    stack.datamart.setTrackerMessage("Telecel portal is slow. Estimated delivery: 1-2 hours");
    await page.getByRole("button", { name: "Check now", exact: true }).click();
    const answer = page.locator("#supplier .result", { hasText: /Checked|Failed/ });
    await answer.waitFor();
    expect(await answer.textContent()).to.equal("Checked.");
    /**
     * Waits for the supplier panel to show `shown`; else says what the page showed, whether its other
     * listeners still hear and a reload shows it, what Firestore holds and what the tracker answered.
     */
    const supplierShows = (shown: Locator, timeout?: number) =>
      shown.waitFor({ timeout }).catch(async (error: unknown) => {
        const stored = await stack.db.collection(COLLECTIONS.supplierHealth).doc("current").get();
        const asked = stack.datamart.requests.filter((r) => r.reference.endsWith("tracker"));
        const panel = await page.locator("#supplier").textContent();
        const before = await runs.count();
        await stack.db
          .collection(COLLECTIONS.syncRuns)
          .doc("probe")
          .set({ ...earlierRun, runId: "probe", startedAt: new Date().toISOString() });
        const otherListeners = await runs
          .nth(before)
          .waitFor({ timeout: 10_000 })
          .then(() => "hear a new run", String);
        await page.reload();
        const reloaded = await shown.waitFor({ timeout: 15_000 }).then(() => "shows it", String);
        throw new Error(
          `${String(error)}\n#supplier: ${panel}\nthe other listeners: ${otherListeners}` +
            `\nafter a reload: ${reloaded}` +
            `\nstored: ${JSON.stringify(stored.data())}\ntracker asked: ${JSON.stringify(asked)}`,
        );
      });
    // What customers with open orders are told comes from Datamart's tracker: the operator sees it.
    await supplierShows(page.locator("#supplier dd", { hasText: "Telecel portal is slow" }));
    await supplierShows(
      page.locator("#supplier dd.level-ok", { hasText: /GHS [\d.]+ OK/ }),
      10_000,
    );
    // Networks by the names customers know, not Datamart's codes.
    await page.locator("#supplier td", { hasText: "MTN" }).first().waitFor();
    expect(await page.locator("#supplier").textContent()).not.to.contain("YELLO");
    expect(await page.content()).not.to.contain("dm-key");
    for (const panel of [
      "notifications",
      "refunds",
      "webhooks",
      "supplier",
      "reconciliation",
      "lookup",
    ])
      await shoot(panel);
  });

  it("fits a phone: at 390 px every panel's rows show their facts and action without sideways scrolling; a resend asks first and leaves a receipt", async () => {
    const now = new Date();
    const transactions = stack.db.collection(COLLECTIONS.transactions);
    await transactions.doc("stuck-phone-1").set({
      status: "processing",
      amount: 6.5,
      timestamp: now.toISOString(),
      sync: {
        needsAttention: true,
        needsAttentionReason: "Datamart answered a status this system does not know: ON_HOLD",
      },
    });
    await transactions.doc("card-phone-1").set({
      userId: CUSTOMER.uid,
      status: "failed",
      amount: 13,
      paymentMethod: "card",
      refund: { state: "manual", reason: "paid by card, not the wallet" },
    });
    await transactions.doc("pre-switch-phone-1").set({
      status: "delivered",
      amount: 6.5,
      timestamp: "2026-10-01T10:00:00.000Z",
      cutover: { markedAt: now, olderThanHours: 48 },
    });
    await stack.db
      .collection(COLLECTIONS.orderNotifications)
      .doc("late-phone-1_delivered")
      .set({
        transactionId: "late-phone-1",
        userId: CUSTOMER.uid,
        status: "delivered",
        channel: "sms",
        recipient: "233241234567",
        recipientMasked: "23324*****67",
        title: "Data delivered",
        message:
          "Your 1GB MTN data to 0241234567 has been delivered. Thank you for choosing DataSell.",
        state: "UNKNOWN",
        attempts: 1,
        lastError: { kind: "timeout", message: "mNotify took the message but never answered" },
        createdAt: now,
        updatedAt: now,
      });
    await stack.db.collection(COLLECTIONS.reconciliationCases).doc("amount-differs_phone").set({
      state: "open",
      kind: "amount-differs",
      orderId: "delivered-phone-1",
      reference: "TRX-2f0c6b1e-9a7d-4c1b-8a55-0d3f1e2b7c44",
      message: "Datamart charged GHS 5.50 for it; its price at purchase was GHS 11.96",
      firstFoundAt: now,
    });
    await stack.db.collection(COLLECTIONS.webhookEvents).doc("unmatched-phone").set({
      outcome: "unmatched",
      receivedAt: now,
      event: "order.completed",
      status: "completed",
      orderReference: "GN-7f3e2d1c0b9a8f7e",
      transactionReference: "TRX-0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d",
      orderId: "6650f1e2d3c4b5a697887766",
    });
    await stack.db
      .collection(COLLECTIONS.syncRuns)
      .doc("phone-run")
      .set({
        runId: "phone-run",
        trigger: "schedule",
        startedAt: now.toISOString(),
        skipped: false,
        checked: 12,
        updated: 3,
        errors: 2,
        errorsByKind: { timeout: 1, server: 1 },
        stoppedEarly: "time-budget",
        needsAttention: 1,
      });
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(ADMIN.email);
    const panels = [
      "sync",
      "attention",
      "refunds",
      "notifications",
      "reconciliation",
      "webhooks",
      "cutover",
    ];
    for (const id of panels) await page.locator(`#${id} tbody tr`).first().waitFor();
    await page.locator("#reconciliation tbody tr").first().waitFor();

    expect(await page.evaluate("document.documentElement.scrollWidth")).to.be.at.most(390);
    const outside: string[] = [];
    for (const id of panels)
      for (const cell of await page.locator(`#${id} td, #${id} td button`).all()) {
        const box = await cell.boundingBox();
        if (box && (box.x < 0 || box.x + box.width > 390))
          outside.push(
            `${id}: "${(await cell.textContent())?.slice(0, 40)}" spans ${box.x}+${box.width}`,
          );
      }
    expect(outside).to.deep.equal([]);
    // A row is a card: its action first, then each fact under its column's name.
    const card = page.locator("#refunds tbody tr").first();
    const actionCell = await card.locator("td.act").boundingBox();
    const orderCell = await card.locator("td[data-label=Order]").boundingBox();
    expect(actionCell!.y).to.be.below(orderCell!.y);
    expect(actionCell!.x + actionCell!.width).to.be.at.most(390);
    await page.screenshot({ path: join(SCREENSHOTS, "phone.png"), fullPage: true });

    await page.getByRole("button", { name: "Resend sms message late-phone-1_delivered" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.textContent())
      .to.contain("late-phone-1")
      .and.contain("23324*****67")
      .and.contain("may already have reached the customer");
    await dialog.getByRole("button", { name: "Resend" }).click();
    await page
      .locator("#notifications .receipts", {
        hasText: "sms message for order late-phone-1 to 23324*****67: SENT.",
      })
      .waitFor();
    expect(stack.mnotify.messages.map((m) => m.recipient)).to.deep.equal(["233241234567"]);
  });

  it("opens on the overview: today's and the week's figures, and charts that draw what Firestore holds, at desk and phone width", async () => {
    const now = new Date();
    const day = now.toISOString().slice(0, 10);
    const stats = stack.db.collection(COLLECTIONS.dailyStats);
    await stats.doc(`${day}_MTN`).set({
      day,
      network: "MTN",
      finals: { delivered: 3, failed: 1 },
      byHour: { "09": { delivered: 2 }, "10": { delivered: 1, failed: 1 } },
      deliveryMinutes: { "5": 2, "10": 1 },
      refunds: 1,
      refundedPesewas: 650,
    });
    await stats.doc(`${day}_Telecel`).set({
      day,
      network: "Telecel",
      finals: { delivered: 1 },
      byHour: { "10": { delivered: 1 } },
      deliveryMinutes: { "30": 1 },
    });
    // Readings two days apart: GHS 200 spent, so GHS 850 lasts 8.5 days.
    const balances = stack.db.collection(COLLECTIONS.supplierBalances);
    const firstAt = now.getTime() - 2 * 86_400_000 - 60_000;
    const firstDay = new Date(firstAt).toISOString().slice(0, 10);
    await balances
      .doc(firstDay)
      .set({ day: firstDay, samples: [{ atMs: firstAt, balance: 1050 }] });
    await balances.doc(day).set({ day, samples: [{ atMs: now.getTime() - 60_000, balance: 850 }] });

    await signIn(ADMIN.email);
    const overview = page.locator("#overview");
    await overview.locator("dl.headline", { hasText: "5 finished" }).waitFor();
    expect(await overview.locator("dl.headline").textContent())
      .to.contain("4 delivered, 1 failed")
      .and.contain("delivered 80 %")
      .and.contain("refunded GHS 6.50")
      .and.contain("GHS 850.00, about 8.5 days of cover");
    const delivery = await overview
      .getByRole("table", { name: "Time to delivery per network", exact: true })
      .locator("tbody tr")
      .allTextContents();
    expect(delivery).to.have.length(2);

    // The chart and its figures: what Firestore holds, per hour, redrawn as it changes.
    const chart = page.locator("#chart-orders-per-hour");
    expect(
      await page.getByRole("img", { name: /^Orders finished today per hour/ }).count(),
    ).to.equal(1);
    await chart.getByText("Figures").click();
    const hour = (h: string) =>
      chart.locator("tbody tr", { has: page.locator(`td:text-is("${h}")`) }).locator("td");
    expect(await hour("09").allTextContents()).to.deep.equal(["09", "2", "0", "0", "0"]);
    expect(await hour("10").allTextContents()).to.deep.equal(["10", "2", "1", "0", "0"]);
    /** Pixels the chart painted in the failed series' colour (bars and legend swatch). */
    const failedPixels = () =>
      page.evaluate<number>(`(() => {
        const canvas = document.querySelector("#chart-orders-per-hour-canvas");
        const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
        let count = 0;
        for (let i = 0; i < data.length; i += 4)
          if (data[i] === 0xa4 && data[i + 1] === 0 && data[i + 2] === 0) count++;
        return count;
      })()`);
    const before = await failedPixels();
    expect(before).to.be.above(0);
    await stats.doc(`${day}_MTN`).update({ "byHour.11": { failed: 5 }, "finals.failed": 6 });
    await overview.locator("dl.headline", { hasText: "10 finished" }).waitFor();
    expect(await hour("11").allTextContents()).to.deep.equal(["11", "0", "5", "0", "0"]);
    expect(await failedPixels()).to.be.above(before);

    await overview.screenshot({ path: join(SCREENSHOTS, "overview.png") });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction("document.documentElement.scrollWidth <= 390");
    for (const part of await overview.locator("figure, canvas, td, dd").all()) {
      const box = await part.boundingBox();
      if (box) expect(box.x + box.width, (await part.textContent()) ?? "").to.be.at.most(390);
    }
    await overview.screenshot({ path: join(SCREENSHOTS, "overview-phone.png") });
  });

  it("lists alerts, active first, and lets an admin acknowledge one", async () => {
    const now = Date.now();
    const alerts = stack.db.collection(COLLECTIONS.alerts);
    await alerts.doc("balance-low").set({
      id: "balance-low",
      active: true,
      text: "Datamart's balance is low: GHS 420.00",
      startedAtMs: now - 600_000,
      toldStart: true,
      lastToldAtMs: now - 600_000,
      updatedAt: new Date(now - 600_000),
    });
    await alerts.doc("sync-stale").set({
      id: "sync-stale",
      active: false,
      text: "No successful sync run for 15 minutes",
      startedAtMs: now - 7_200_000,
      clearedAtMs: now - 3_600_000,
      toldStart: false,
      updatedAt: new Date(now - 3_600_000),
    });
    await signIn(ADMIN.email);
    const rows = page.locator("#alerts tbody tr");
    await rows.nth(1).waitFor();
    expect(await rows.first().textContent())
      .to.contain("balance is low")
      .and.contain("active");
    expect(await rows.nth(1).textContent())
      .to.contain("cleared")
      .and.contain("no (throttled)");
    await page.getByRole("button", { name: "Acknowledge alert balance-low" }).click();
    await page
      .locator("#alerts .receipts", {
        hasText: "Datamart's balance is low: GHS 420.00: acknowledged.",
      })
      .waitFor();
    await rows.first().getByText(ADMIN.uid).waitFor();
    expect((await alerts.doc("balance-low").get()).get("acknowledgedBy")).to.equal(ADMIN.uid);
  });

  it("keeps a half-typed case note and its focus while other cases come; a verdict's answer stays after its row has gone", async () => {
    const cases = stack.db.collection(COLLECTIONS.reconciliationCases);
    const openCase = (orderId: string) =>
      cases.doc(`amount-differs_TRX-${orderId}`).set({
        kind: "amount-differs",
        caseId: `amount-differs_TRX-${orderId}`,
        orderId,
        reference: `TRX-${orderId}`,
        message: "Datamart charged GHS 6.00; its price at purchase was GHS 5.98",
        evidence: { datamart: { chargedPesewas: 600, creditedPesewas: 0, movements: [] } },
        state: "open",
        firstFoundAt: new Date(),
        lastFoundAt: new Date(),
        lastReportId: "report-1",
      });
    const row = (orderId: string) =>
      page.locator("#reconciliation tbody tr", { hasText: `TRX-${orderId}` });
    await openCase("A");
    await signIn(ADMIN.email);
    const note = page.getByLabel("Note on case amount-differs_TRX-A");
    await note.fill("Datamart's price changed that morning");

    await openCase("B"); // the live table redraws
    await row("B").waitFor();
    expect(await note.inputValue()).to.equal("Datamart's price changed that morning");
    expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).to.equal(
      "Note on case amount-differs_TRX-A",
    );

    await page.getByLabel("New state of case amount-differs_TRX-A").selectOption("explained");
    await row("A").getByRole("button", { name: "Save" }).click();
    await row("A").waitFor({ state: "detached" });
    await page
      .locator("#reconciliation .receipts", {
        hasText: "Case amount-differs_TRX-A (amount-differs, order A): explained.",
      })
      .waitFor();
    expect((await cases.doc("amount-differs_TRX-A").get()).get("note")).to.equal(
      "Datamart's price changed that morning",
    );
    expect(await row("B").count()).to.equal(1);
  });

  it("asks before a refund, showing the amount, and pays a non-wallet order only with a written reason", async () => {
    await stack.db.collection(COLLECTIONS.users).doc(CUSTOMER.uid).set({ walletBalance: 10 });
    await stack.db
      .collection(COLLECTIONS.transactions)
      .doc("card-1")
      .set({
        userId: CUSTOMER.uid,
        status: "failed",
        amount: 13,
        paymentMethod: "card",
        datamartTransactionId: "a".repeat(24),
        refund: { state: "manual", reason: "paid by card, not the wallet" },
      });
    await signIn(ADMIN.email);
    await page.getByRole("button", { name: "Refund order card-1" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.textContent())
      .to.contain("GHS 13.00")
      .and.contain(CUSTOMER.uid);
    // Cancelled: nothing moves.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await page.locator("#refunds .result", { hasText: "Cancelled" }).waitFor();
    await page.getByRole("button", { name: "Refund order card-1" }).click();
    // The reason is required for a card payment: the form does not submit without it.
    await dialog.getByRole("button", { name: "Refund GHS 13.00" }).click();
    expect(await dialog.isVisible()).to.equal(true);
    await dialog.getByLabel(/Why pay anyway/).fill("Card payment returned as store credit");
    await dialog.getByRole("button", { name: "Refund GHS 13.00" }).click();
    // The row leaves its live table once credited; the receipt stays.
    await page.locator("#refunds .receipts", { hasText: "card-1" }).waitFor();
    expect(await page.locator("#refunds .receipts").textContent()).to.contain(
      "credited: GHS 13.00",
    );
    const entries = await stack.db
      .collection(COLLECTIONS.users)
      .doc(CUSTOMER.uid)
      .collection(COLLECTIONS.walletLedger)
      .get();
    expect(entries.docs.map((d) => d.get("overrideReason") as string)).to.deep.equal([
      "Card payment returned as store credit",
    ]);
  });

  it("finds a customer's orders by phone number, lists recent orders by status, network and day, and reconciles now", async () => {
    const today = new Date().toISOString();
    const orders = stack.db.collection(COLLECTIONS.transactions);
    const order = (fields: Record<string, unknown>) => ({
      userId: CUSTOMER.uid,
      amount: 6.5,
      packageName: "2GB",
      paymentMethod: "wallet",
      timestamp: today,
      ...fields,
    });
    await orders
      .doc("phone-failed")
      .set(order({ status: "failed", network: "YELLO", phoneNumber: "0241234567" }));
    await orders
      .doc("phone-delivered")
      .set(order({ status: "delivered", network: "TELECEL", phoneNumber: "+233241234567" }));
    await orders
      .doc("other-customer")
      .set(order({ status: "failed", network: "AT_PREMIUM", phoneNumber: "0551234567" }));
    await signIn(ADMIN.email);

    await page.getByLabel(/Phone number, DataSell id/).fill("024 123 4567");
    await page.getByRole("button", { name: "Look up" }).click();
    await page.locator("#lookup", { hasText: "2 order(s) for 0241234567" }).waitFor();
    expect(await page.locator("#lookup tbody").textContent()).not.to.contain("other-customer");
    await page.locator("#lookup").getByRole("button", { name: "Show order phone-failed" }).click();
    const details = page.locator("#lookup .details");
    await details.waitFor();
    expect(await details.textContent())
      .to.contain("2GB MTN")
      .and.contain("GHS 6.50")
      .and.contain("wallet")
      .and.contain("None: Datamart never accepted it, so nobody was charged.");

    await page.locator("#orders-status").selectOption("failed");
    await page.locator("#orders-day").fill(today.slice(0, 10));
    await page.locator("#orders").getByRole("button", { name: "Show", exact: true }).click();
    await page.locator("#orders tbody tr", { hasText: "other-customer" }).waitFor();
    const failedRows = await page.locator("#orders tbody tr").allTextContents();
    expect(failedRows).to.have.length(2);
    expect(failedRows.join(" ")).to.contain("phone-failed").and.not.contain("phone-delivered");
    await page.locator("#orders-status").selectOption("");
    await page.locator("#orders-network").selectOption("Telecel");
    await page.locator("#orders").getByRole("button", { name: "Show", exact: true }).click();
    await page.locator("#orders tbody tr", { hasText: "phone-delivered" }).waitFor();
    expect(await page.locator("#orders tbody tr").count()).to.equal(1);

    await page.getByRole("button", { name: "Reconcile now" }).click();
    await page.locator("#reconciliation .result", { hasText: "Done:" }).waitFor();
  });

  it("lists the orders the switch-on cutover marked, with their status now", async () => {
    await stack.db
      .collection(COLLECTIONS.transactions)
      .doc("pre-switch-1")
      .set({
        status: "delivered",
        amount: 6.5,
        timestamp: "2026-10-01T10:00:00.000Z",
        cutover: { markedAt: new Date(), olderThanHours: 48 },
      });
    await signIn(ADMIN.email);
    const row = page.locator("#cutover tbody tr", { hasText: "pre-switch-1" });
    await row.waitFor();
    expect(await row.textContent())
      .to.contain("delivered")
      .and.contain("GHS 6.50");
    await shoot("cutover");
  });

  it("sends a Content-Security-Policy that keeps it working and refuses to be framed", async () => {
    const response = await page.goto(site.url);
    expect(response?.headers()["content-security-policy"]).to.contain("frame-ancestors 'none'");
    // After a deploy a browser asks again for the page, whose hashed assets it may keep for good.
    expect(response?.headers()["cache-control"]).to.equal("no-cache");
    const script = await page.locator("script[src^='/assets/']").getAttribute("src");
    const asset = await fetch(new URL(String(script), site.url));
    expect(asset.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
    expect(asset.headers.get("content-security-policy")).to.contain("frame-ancestors 'none'");
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await signIn(ADMIN.email);
    await page.getByRole("button", { name: "Sync now" }).waitFor();
    expect(violations).to.deep.equal([]);

    // Another site framing the signed-in console gets an empty frame, never its buttons.
    const framer = await serveFramer(site.url);
    try {
      // "load" waits for the iframe too, whether it loaded the console or was refused.
      await page.goto(framer.url, { waitUntil: "load" });
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(frame, "the iframe").to.not.equal(undefined);
      expect(await frame!.locator("button").count()).to.equal(0);
      expect(
        await frame!
          .locator("body")
          .textContent()
          .catch(() => ""),
      ).not.to.contain("DataSell");
    } finally {
      await framer.close();
    }
  });

  it("shows a signed-in customer that they are not an admin, and nothing else", async () => {
    await signIn(CUSTOMER.email);
    await page.getByRole("heading", { name: "Not an admin" }).waitFor();
    expect(await page.locator("#sync").count()).to.equal(0);
    expect(await page.getByRole("button", { name: "Sync now" }).count()).to.equal(0);
    await shoot("not-admin");
  });

  it("says so when the password is wrong", async () => {
    await page.goto(site.url);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("do not match").waitFor();
  });
});

/** Another origin (its own port) whose page frames the console, as a clickjacking site would. */
async function serveFramer(target: string) {
  const server = await listen((_req, _body, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(
      `<!doctype html><title>framer</title><iframe src="${target}" width="800" height="600"></iframe>`,
    );
  });
  return { ...server, url: `http://127.0.0.1:${server.port}/` };
}
