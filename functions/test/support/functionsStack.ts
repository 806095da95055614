import type { Firestore } from "firebase-admin/firestore";
import { eventually } from "./eventually";
import { anOrder, deleteEveryDocument, testDb } from "./firestore";
import { freePort, startFunctionsEmulator, type FunctionsEmulator } from "../../dev/emulators";
import { idTokenFor, type DemoUser } from "../../dev/authEmulator";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";
import { FcmStandIn } from "../../dev/standins/fcmStandIn";
import { MnotifyStandIn, type ReceivedSms } from "../../dev/standins/mnotifyStandIn";
import { COLLECTIONS } from "../../src/contract";

/**
 * The functions emulator's own project on the shared Firestore emulator. Its Firestore triggers are
 * registered for this project only, so writes made by other suites never fire them.
 */
export const FUNCTIONS_PROJECT = "demo-datasell-functions";

/** The functions and auth emulators running this codebase, with stand-in providers. Started once, on demand. */
export interface FunctionsStack {
  /** Firestore as the deployed functions see it. */
  db: Firestore;
  /** Empties that Firestore and resets the stand-ins. */
  reset(): Promise<void>;
  emulator: FunctionsEmulator;
  datamart: DatamartStandIn;
  mnotify: MnotifyStandIn;
  fcm: FcmStandIn;
  /** Runs a scheduled function the way Cloud Scheduler would. */
  invokeScheduled(name: string): Promise<void>;
  idToken(user: DemoUser): Promise<string>;
  /** Calls a callable function over HTTP as the client SDKs do: `{data}` in, `{result}` or `{error}` out. */
  call(
    name: string,
    data: unknown,
    token?: string,
  ): Promise<{ status: number; body: CallableReply }>;
  /** The `api` function's URL for a path, on the function's own URL. */
  apiUrl(path: string): string;
  /**
   * The SMS the stand-in received, once the status trigger has caught up with every write made so
   * far: a sentinel order's status change is sent and its SMS awaited (a signal, not a sleep). The
   * sentinel's own SMS is left out.
   */
  smsOnceTriggersSettle(): Promise<ReceivedSms[]>;
}

export interface CallableReply {
  result?: unknown;
  error?: { status: string; message: string; details?: unknown };
}

let starting: Promise<FunctionsStack> | undefined;
let sentinels = 0;
const closers: (() => Promise<void>)[] = [];

export function functionsStack(): Promise<FunctionsStack> {
  starting ??= start();
  return starting;
}

async function start(): Promise<FunctionsStack> {
  const datamart = await DatamartStandIn.start({ apiKey: "local-datamart-key" });
  closers.push(() => datamart.close());
  const mnotify = await MnotifyStandIn.start({ apiKey: "local-mnotify-key" });
  closers.push(() => mnotify.close());
  const fcm = await FcmStandIn.start();
  closers.push(() => fcm.close());
  const projectId = FUNCTIONS_PROJECT;
  const emulator = await startFunctionsEmulator({
    projectId,
    firestore: { host: String(process.env.FIRESTORE_EMULATOR_HOST), projectId },
    ports: {
      functions: Number(process.env.TEST_FUNCTIONS_PORT),
      auth: await freePort(),
      hub: await freePort(),
      logging: await freePort(),
    },
    params: {
      DATAMART_BASE_URL: datamart.baseUrl,
      MNOTIFY_BASE_URL: mnotify.baseUrl,
      MNOTIFY_TIMEOUT_MS: "2000",
      FCM_TRANSPORT_URL: fcm.url,
      // One pass a scheduled run, so a test's invocation returns when its work is done.
      SYNC_FRESH_INTERVAL_SECONDS: "3600",
    },
  });
  closers.push(() => emulator.process.stop());
  return {
    db: testDb(projectId),
    async reset() {
      datamart.reset();
      mnotify.reset();
      fcm.reset();
      await deleteEveryDocument(projectId);
    },
    emulator,
    datamart,
    mnotify,
    fcm,
    async invokeScheduled(name) {
      const url = `http://${emulator.functionsHost}/functions/projects/${projectId}/triggers/us-central1-${name}-0`;
      const response = await fetch(url, {
        method: "POST",
        headers: { "X-CloudScheduler-ScheduleTime": new Date().toISOString() },
      });
      if (!response.ok)
        throw new Error(`${name} answered HTTP ${response.status}: ${await response.text()}`);
    },
    idToken: (user) => idTokenFor(emulator.authHost, projectId, user),
    async call(name, data, token) {
      const response = await fetch(
        `http://${emulator.functionsHost}/${projectId}/us-central1/${name}`,
        {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify({ data }),
        },
      );
      return { status: response.status, body: (await response.json()) as CallableReply };
    },
    apiUrl: (path) => `http://${emulator.functionsHost}/${projectId}/us-central1/api${path}`,
    async smsOnceTriggersSettle() {
      sentinels += 1;
      const db = testDb(projectId);
      const ref = db.collection(COLLECTIONS.transactions).doc(`zz-sentinel-${sentinels}`);
      await ref.set(anOrder({ userId: "sentinel" }));
      await ref.update({ status: "cancelled" });
      const record = db.collection(COLLECTIONS.orderNotifications).doc(`${ref.id}_cancelled`);
      const campaignId = await eventually("the sentinel's SMS", async () => {
        const sent = await record.get();
        return sent.get("state") === "SENT"
          ? String(sent.get("providerIds.campaignId"))
          : undefined;
      });
      return mnotify.messages.filter((m) => m.campaignId !== campaignId);
    },
  };
}

export async function stopFunctionsStack(): Promise<void> {
  for (const close of closers.reverse()) await close();
}

/**
 * The functions emulator now and then never hands a Firestore write's event to its trigger
 * (firebase-tools#6833, open), where production's event delivery is retried. A suite whose tests
 * wait for a trigger runs a failed test once more, and prints the emulator's last output first, so
 * a defect that fails every time still fails and can be read.
 */
export function retriedOnceForLostEvents(suite: Mocha.Suite): void {
  suite.retries(1);
  suite.afterEach(function () {
    const test = this.currentTest;
    if (!test || test.state === "passed" || !starting) return;
    return starting.then((stack) => {
      console.warn(
        `[${test.title}] failed; the functions emulator's last output:\n` +
          stack.emulator.process.output().slice(-4_000),
      );
    });
  });
}
