import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { declaredParams } from "firebase-functions/params";
import { parseSettings } from "../src/settings";
import * as exported from "../src/index";
import {
  PROVIDER_TIMEOUT_MAX_MS,
  SWEEP_TIME_BUDGET_MS,
  TIME_MARGIN_SECONDS,
} from "../src/deployConfig";
import { TAKE_TIMEOUT_MS } from "../src/sync/adminSync";

const production = {
  DATAMART_BASE_URL: "https://api.datamartgh.shop/api/developer",
  DATAMART_TIMEOUT_MS: 10_000,
  SYNC_CONCURRENCY: 8,
  SYNC_RATE_PER_MINUTE: 180,
  SYNC_TIME_BUDGET_SECONDS: 240,
  SYNC_FRESH_MINUTES: 60,
  SYNC_FRESH_INTERVAL_SECONDS: 90,
  SYNC_SWEEP_MINUTES: 60,
  SYNC_ATTENTION_AFTER_HOURS: 24,
  SYNC_MAX_CONSECUTIVE_FAILURES: 5,
  SYNC_FAILED_WATCH_HOURS: 24,
  RECONCILE_WINDOW_DAYS: 7,
  RECONCILE_RATE_PER_MINUTE: 10,
  SUPPLIER_BALANCE_LOW_GHS: 500,
  SUPPLIER_BALANCE_CRITICAL_GHS: 100,
  MNOTIFY_BASE_URL: "https://api.mnotify.com/api",
  MNOTIFY_SENDER_ID: "DataSell",
  MNOTIFY_TIMEOUT_MS: 10_000,
  NOTIFY_RETRY_HOURS: 6,
  NOTIFY_MAX_ORDER_AGE_HOURS: 48,
  ORDER_REFRESHES_PER_MINUTE: 5,
  ORDER_REFRESHES_ALL_USERS_PER_MINUTE: 10,
  WALLET_REFUNDS: false,
  WEBHOOK_RETENTION_DAYS: 30,
  MESSAGE_RETENTION_DAYS: 90,
  RUN_RETENTION_DAYS: 30,
  WEBHOOK_MAX_AGE_MINUTES: 60,
  NOTIFY_SMS: true,
  NOTIFY_PUSH: true,
  NOTIFY_EMAIL: true,
  MAIL_COLLECTION: "mail",
  ORDER_LINK_BASE: "https://datasell.web.app/orders/",
  FCM_TRANSPORT_URL: "",
  ALERT_SMS_TO: "",
  ALERT_EMAIL_TO: "",
  ALERT_THROTTLE_HOURS: 6,
};
const problem = (overrides: Record<string, unknown>) => {
  try {
    parseSettings({ ...production, ...overrides });
    return "accepted";
  } catch (error) {
    return (error as Error).message;
  }
};

describe("settings", () => {
  it("accepts and refuses each rule at its edge", () => {
    const accepted = [
      { SYNC_CONCURRENCY: 1 },
      { DATAMART_BASE_URL: "http://127.0.0.1:8080/api" },
      { SYNC_FAILED_WATCH_HOURS: 0 },
      { MAIL_COLLECTION: "mail_queue-2" },
      { FCM_TRANSPORT_URL: "http://127.0.0.1:9099/" },
      { ALERT_EMAIL_TO: "ops@datasell.test, boss@datasell.test" },
    ];
    for (const overrides of accepted)
      expect(problem(overrides), JSON.stringify(overrides)).to.equal("accepted");
    const refused: [Record<string, unknown>, string][] = [
      [{ SYNC_CONCURRENCY: 0 }, "SYNC_CONCURRENCY must be a whole number >= 1"],
      [{ SYNC_CONCURRENCY: 2.5 }, "SYNC_CONCURRENCY must be a whole number >= 1"],
      [{ DATAMART_BASE_URL: "ftp://datamart.test" }, "DATAMART_BASE_URL must be an http(s) URL"],
      [{ SYNC_FAILED_WATCH_HOURS: -1 }, "SYNC_FAILED_WATCH_HOURS must be a whole number >= 0"],
      [{ SYNC_FAILED_WATCH_HOURS: 1.5 }, "SYNC_FAILED_WATCH_HOURS must be a whole number >= 0"],
      [{ MAIL_COLLECTION: "mail/queue" }, "MAIL_COLLECTION must be a collection name"],
      [{ FCM_TRANSPORT_URL: "https://fcm.test/http://127.0.0.1:1" }, "FCM_TRANSPORT_URL must be"],
      [{ FCM_TRANSPORT_URL: "http://127.0.0.1:1/other" }, "FCM_TRANSPORT_URL must be"],
      [{ ALERT_EMAIL_TO: "ops@datasell.test@x" }, "ALERT_EMAIL_TO must be email addresses"],
      [{ ALERT_EMAIL_TO: "@ops@datasell.test" }, "ALERT_EMAIL_TO must be email addresses"],
    ];
    for (const [overrides, says] of refused)
      expect(problem(overrides), JSON.stringify(overrides)).to.contain(says);
  });

  it("turns hours into the milliseconds the code counts in", () => {
    const settings = parseSettings(production);
    expect(settings).to.deep.include({
      failedWatchMs: 24 * 3_600_000,
      retryWindowMs: 6 * 3_600_000,
      maxOrderAgeMs: 48 * 3_600_000,
    });
  });

  it("reads the production values into the shape the code uses", () => {
    const settings = parseSettings(production);
    expect(settings.sync).to.deep.include({
      concurrency: 8,
      timeBudgetMs: 240_000,
      freshForMs: 3_600_000,
      freshIntervalMs: 90_000,
      sweepPeriodMs: 3_600_000,
      attentionAfterMs: 86_400_000,
    });
    expect(settings.mnotify).to.deep.equal({
      baseUrl: "https://api.mnotify.com/api",
      senderId: "DataSell",
      timeoutMs: 10_000,
    });
  });

  it("keeps the sync's time budget, and a last Datamart request, 30 s below the function's timeout", () => {
    expect(
      parseSettings({ ...production, SYNC_TIME_BUDGET_SECONDS: 600 }).sync.timeBudgetMs,
    ).to.equal(260_000);
  });

  it("refuses a whole number below 1 (what firebase-functions makes of a bad integer), naming the param", () => {
    expect(problem({ SYNC_CONCURRENCY: 0 })).to.contain(
      "SYNC_CONCURRENCY must be a whole number >= 1",
    );
    expect(problem({ NOTIFY_RETRY_HOURS: Number.NaN })).to.contain("NOTIFY_RETRY_HOURS");
    expect(problem({ DATAMART_TIMEOUT_MS: 2.5 })).to.contain("DATAMART_TIMEOUT_MS");
  });

  it("refuses a URL that is not http(s), a sweep period of 0 and a sender id mNotify would refuse", () => {
    expect(problem({ DATAMART_BASE_URL: "api.datamartgh.shop" })).to.contain(
      "DATAMART_BASE_URL must be an http(s) URL",
    );
    expect(problem({ MNOTIFY_BASE_URL: "ftp://x" })).to.contain("MNOTIFY_BASE_URL");
    expect(problem({ SYNC_SWEEP_MINUTES: 0 })).to.contain("SYNC_SWEEP_MINUTES");
    expect(problem({ MNOTIFY_SENDER_ID: "DataSellGhana" })).to.contain("MNOTIFY_SENDER_ID");
    expect(problem({ MNOTIFY_SENDER_ID: "0241234567" })).to.contain("MNOTIFY_SENDER_ID");
    expect(problem({ MNOTIFY_SENDER_ID: "" })).to.contain("MNOTIFY_SENDER_ID");
    // Push may go to FCM itself or a local stand-in, never anywhere else.
    expect(problem({ FCM_TRANSPORT_URL: "http://127.0.0.1:4030" })).to.equal("accepted");
    expect(problem({ FCM_TRANSPORT_URL: "https://fcm.example.com" })).to.contain(
      "FCM_TRANSPORT_URL",
    );
  });

  it("reads the operators' alert recipients as numbers mNotify takes, once each, and refuses garbage", () => {
    expect(
      parseSettings({
        ...production,
        ALERT_SMS_TO: " 024 123 4567, +233201234567 ,0241234567",
        ALERT_EMAIL_TO: "ops@datasell.example",
      }).alerts,
    ).to.deep.equal({
      sms: ["233241234567", "233201234567"],
      email: ["ops@datasell.example"],
      throttleMs: 6 * 3_600_000,
    });
    expect(problem({ ALERT_SMS_TO: "0241234567, 12345" })).to.contain("ALERT_SMS_TO");
    expect(problem({ ALERT_EMAIL_TO: "ops at datasell" })).to.contain("ALERT_EMAIL_TO");
  });

  it("names every missing param at once", () => {
    const message = problem({ WALLET_REFUNDS: undefined, SYNC_RATE_PER_MINUTE: undefined });
    expect(message).to.contain("WALLET_REFUNDS").and.to.contain("SYNC_RATE_PER_MINUTE");
  });
});

/** The nearest `name` up from this folder: mutation testing runs a copy of functions/ elsewhere. */
function nearest(name: string, dir = __dirname): string {
  const path = join(dir, name);
  if (existsSync(path) || dirname(dir) === dir) return path;
  return nearest(name, dirname(dir));
}

describe("retention", () => {
  const overrides = (
    JSON.parse(readFileSync(nearest("firestore.indexes.json"), "utf8")) as {
      fieldOverrides: { collectionGroup: string; fieldPath: string; ttl?: boolean }[];
    }
  ).fieldOverrides;
  const ttl = overrides.filter((o) => o.ttl).map((o) => `${o.collectionGroup}.${o.fieldPath}`);

  it("lets Firestore's TTL delete every log-like record on its expireAt, and no money or status record", () => {
    expect(ttl.sort()).to.deep.equal([
      "datamartWebhookEvents.expireAt",
      "mail.expireAt",
      "notificationSweeps.expireAt",
      "notifications.expireAt",
      "orderNotifications.expireAt",
      "reconciliationCharges.expireAt",
      "syncRuns.expireAt",
      "webhookRejections.expireAt",
    ]);
  });

  it("keeps messages 90 days and run summaries 30 by default, from the settings", () => {
    const settings = parseSettings(production);
    expect(settings.retention).to.deep.equal({
      messagesMs: 90 * 86_400_000,
      runsMs: 30 * 86_400_000,
    });
  });
});

describe("time margins: every function ends at least 30 s inside its timeout", () => {
  // Every function the index exports (loaded when read, so TypeScript does not see them).
  const functions = Object.fromEntries(
    Object.entries(exported).filter(([, fn]) => typeof fn === "function" && "__endpoint" in fn),
  ) as Record<string, Parameters<typeof timeoutOf>[0]>;
  const timeoutOf = (fn: { __endpoint: { timeoutSeconds?: unknown } }) =>
    typeof fn.__endpoint.timeoutSeconds === "number" ? fn.__endpoint.timeoutSeconds : 60;
  const atMost = {
    ...production,
    SYNC_TIME_BUDGET_SECONDS: 100_000,
    DATAMART_TIMEOUT_MS: PROVIDER_TIMEOUT_MAX_MS,
    MNOTIFY_TIMEOUT_MS: PROVIDER_TIMEOUT_MAX_MS,
  };

  for (const [name, raw] of Object.entries({ production, "every setting at its most": atMost }))
    it(`holds with ${name}`, () => {
      const s = parseSettings(raw);
      const datamart = s.datamart.timeoutMs / 1000;
      const mnotify = s.mnotify.timeoutMs / 1000;
      // A run starts no Datamart request after its budget; one started just before ends by its timeout.
      const sync = s.sync.timeBudgetMs / 1000 + datamart;
      const reconcile = s.reconcile.timeBudgetMs / 1000 + datamart;
      // A status refresh tries up to three references, one after the other.
      const refresh = 3 * datamart;
      // Channels are sent side by side; FCM's client times out at 10 s.
      const messages = Math.max(mnotify, 10);
      const worst: Record<string, number> = {
        syncDatamartOrderStatus: sync,
        runRequestedSync: sync,
        reconcileDatamartWallet: reconcile,
        adminReconcileDatamart: reconcile,
        // The sweep never starts a send it cannot finish within its budget.
        sweepNotifications: SWEEP_TIME_BUDGET_MS / 1000,
        checkSupplierHealth: datamart,
        adminCheckSupplierHealth: datamart,
        checkAlerts: messages,
        onOrderUpdated: messages,
        adminResendNotification: messages,
        adoptNewOrder: 0,
        getOrderStatus: refresh,
        adminSyncDatamartOrders: TAKE_TIMEOUT_MS / 1000,
        api: Math.max(refresh, TAKE_TIMEOUT_MS / 1000),
        adminRefundOrder: 0,
        adminUpdateReconciliationCase: 0,
        adminAcknowledgeAlert: 0,
        registerPushToken: 0,
        unregisterPushToken: 0,
      };
      expect(Object.keys(worst)).to.have.members(Object.keys(functions));
      for (const [fn, seconds] of Object.entries(worst))
        // The margin is for the Firestore writes that close the job (its summary, its lease).
        expect(seconds + TIME_MARGIN_SECONDS, fn).to.be.at.most(timeoutOf(functions[fn]));
    });

  it("refuses a provider timeout the margins cannot hold", () => {
    expect(() => parseSettings({ ...production, DATAMART_TIMEOUT_MS: 30_000 })).to.throw(
      /DATAMART_TIMEOUT_MS must be at most 10000/,
    );
    expect(() => parseSettings({ ...production, MNOTIFY_TIMEOUT_MS: 30_000 })).to.throw(
      /MNOTIFY_TIMEOUT_MS must be at most 10000/,
    );
  });
});

describe("declared params", () => {
  /** `functions/.env`: the production value of every non-secret param. */
  const production = new Map(
    readFileSync(nearest(".env"), "utf8")
      .split("\n")
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  const plain = declaredParams.flatMap((param) => {
    const options = (param as { options?: { default?: unknown; description?: string } }).options;
    return options && "default" in options ? [{ name: param.name, ...options }] : [];
  });

  it("declares each setting with what it does and, as its default, its production value in functions/.env", () => {
    expect(plain.map((p) => p.name).sort()).to.deep.equal([...production.keys()].sort());
    for (const param of plain) {
      expect(param.description, param.name).to.be.a("string").and.have.length.above(10);
      expect(String(param.default), param.name).to.equal(production.get(param.name));
    }
  });
});
