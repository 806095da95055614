import { expect } from "chai";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../dev/authEmulator";
import { buildConsole, serveConsole } from "../../dev/consoleServer";
import { REPO_ROOT } from "../../dev/emulators";
import { COLLECTIONS } from "../../src/firestore";
import { listen } from "../../dev/standins/http";
import { placeOrder } from "../support/datamart";
import {
  FUNCTIONS_PROJECT,
  functionsStack,
  retriedOnceForLostEvents,
  type FunctionsStack,
} from "../support/functionsStack";

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it when it is missing). */
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
  });
  afterEach(() => page?.close());

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
    await stack.db
      .collection(COLLECTIONS.syncRuns)
      .doc("earlier")
      .set({
        runId: "earlier",
        trigger: "schedule",
        startedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
        skipped: false,
        checked: 3,
        updated: 1,
        errors: 1,
        errorsByKind: { server: 1 },
        needsAttention: 1,
      });

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
    await page.getByRole("button", { name: "Check now", exact: true }).click();
    await page.locator("#supplier dd[class^=level-]").waitFor();
    expect(await page.locator("#supplier").textContent()).to.match(/GHS [\d.]+ (OK|LOW|CRITICAL)/);
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
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, "phone.png"), fullPage: false });
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
