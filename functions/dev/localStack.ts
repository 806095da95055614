import { readFileSync, watch } from "node:fs";
import { join } from "node:path";
import { db } from "../src/firestore";
import { maskPhone } from "../src/logs";
import { logForOperator } from "./liveLog";
import { retryTransient } from "./retryTransient";
import { DEMO_PASSWORD } from "./authEmulator";
import { DEMO_PROJECT, DEMO_USERS, emulatorDataOrders } from "./demoData";
import {
  assertPortsFree,
  loadRules,
  MissingEmulatorError,
  PortInUseError,
  REGION,
  REPO_ROOT,
  startFirestoreEmulator,
  startFunctionsEmulator,
  type FirestoreEndpoint,
} from "./emulators";
import {
  localHost,
  localUrl,
  LOCAL,
  PORTS,
  recordRunningStack,
  type LocalConfig,
  type PortName,
} from "./localConfig";
import { placeDemoOrder } from "./placeOrder";
import { startScheduler } from "./scheduler";
import { DatamartStandIn } from "./standins/datamartStandIn";
import { buildConsole, serveConsole } from "./consoleServer";
import { FcmStandIn } from "./standins/fcmStandIn";
import { MnotifyStandIn } from "./standins/mnotifyStandIn";

interface LocalStack {
  datamart: DatamartStandIn;
  mnotify: MnotifyStandIn;
  fcm: FcmStandIn;
  functionsHost: string;
  consoleUrl: string;
}

const say = (topic: string, text: string) =>
  console.log(`${new Date().toISOString().slice(11, 19)} [${topic}] ${text}`);

/**
 * The whole system on 127.0.0.1: the Firestore emulator loaded from emulator-data/, the functions and
 * auth emulators running this codebase (Firestore trigger registered), stand-in Datamart and mNotify,
 * a local scheduler, and a live log. Ctrl-C (or any exit) stops the emulators: dev/processes.ts.
 */
async function startLocalStack(config: LocalConfig): Promise<LocalStack> {
  const { ports } = config;
  await assertPortsFree(
    (Object.keys(PORTS) as PortName[]).map((name) => ({ ...PORTS[name], port: ports[name] })),
  );
  const datamart = await DatamartStandIn.start({
    port: ports.datamart,
    apiKey: "local-datamart-key",
    ratePerMinute: config.datamartRatePerMinute,
    trackerMessage: "Yello portal is processing orders steadily. Estimated delivery: 1-2 hours",
    progression: {
      stepMs: [config.datamartStepSeconds[0] * 1000, config.datamartStepSeconds[1] * 1000],
      failShare: config.datamartFailShare,
    },
    onStatus: (order) => say("datamart", `${order.orderReference} is now ${order.status}`),
    webhook: config.datamartWebhooks
      ? {
          url: `http://${localHost(ports.functions)}/${DEMO_PROJECT}/${REGION}/api/datamart-webhook`,
          secret: "local-webhook-secret",
          onError: (error) =>
            say(
              "datamart",
              `webhook not delivered: ${error instanceof Error ? error.message : String(error)}`,
            ),
        }
      : undefined,
  });
  for (const order of emulatorDataOrders()) if (order.datamart) datamart.addOrder(order.datamart);

  const mnotify = await MnotifyStandIn.start({
    port: ports.mnotify,
    apiKey: "local-mnotify-key",
    registeredSenders: ["DataSell"],
    onMessage: (sms) => say("sms", `to ${maskPhone(sms.recipient)}: ${sms.message}`),
  });
  const fcm = await FcmStandIn.start({
    port: ports.fcm,
    onMessage: (push) =>
      say("push", `to device ${push.token.slice(0, 12)}…: ${push.title}: ${push.body}`),
  });

  const exported = join(REPO_ROOT, "emulator-data");
  const firestore = await startFirestoreEmulator({
    projectId: DEMO_PROJECT,
    port: ports.firestore,
    rulesPath: RULES_PATH,
    functionsEmulator: localHost(ports.functions),
    loadExport: join(exported, "firestore_export", "firestore_export.overall_export_metadata"),
  });
  say(
    "stack",
    `Firestore emulator on ${firestore.host}, loaded from emulator-data/, enforcing firestore.rules`,
  );
  reloadRulesOnEdit(firestore);
  const functions = await startFunctionsEmulator({
    projectId: DEMO_PROJECT,
    firestore,
    ports,
    params: {
      DATAMART_BASE_URL: datamart.baseUrl,
      MNOTIFY_BASE_URL: mnotify.baseUrl,
      FCM_TRANSPORT_URL: fcm.url,
      // The demo operator gets the alerts, through the stand-in mNotify and the mail queue.
      ALERT_SMS_TO: "0209999999",
      ALERT_EMAIL_TO: "ops@datasell.demo",
      // A run's budget and passes scaled to the local schedule, as production's are to 5 minutes.
      SYNC_TIME_BUDGET_SECONDS: String(Math.round(LOCAL.syncEverySeconds * 0.8)),
      SYNC_FRESH_INTERVAL_SECONDS: String(Math.max(5, Math.round(LOCAL.syncEverySeconds * 0.3))),
    },
    importFrom: exported,
  });
  say(
    "stack",
    `Functions emulator on ${functions.functionsHost}, Auth emulator on ${functions.authHost}`,
  );
  buildConsole();
  const site = await serveConsole(
    {
      projectId: DEMO_PROJECT,
      emulators: {
        auth: functions.authHost,
        firestore: firestore.host,
        functions: functions.functionsHost,
      },
    },
    ports.console,
  );
  say("stack", `Admin console on ${site.url}`);

  process.env.FIRESTORE_EMULATOR_HOST = firestore.host;
  process.env.GCLOUD_PROJECT = DEMO_PROJECT;
  logForOperator(db(), say);

  const invoke = async (name: string) => {
    const url = `http://${functions.functionsHost}/functions/projects/${DEMO_PROJECT}/triggers/${REGION}-${name}-0`;
    const response = await fetch(url, {
      method: "POST",
      headers: { "X-CloudScheduler-ScheduleTime": new Date().toISOString() },
    });
    if (!response.ok) say("schedule", `${name} failed: HTTP ${response.status}`);
  };
  // The jobs, as Cloud Scheduler has them: a sync run lasts most of its period (passes over young
  // orders) and the SMS retry sweep and the alert check do not wait for it; supplier health and
  // reconciliation run every few periods (production: every 30 minutes and daily). Each logs its own result above.
  let tick = 0;
  const runSchedules = async () => {
    tick += 1;
    await Promise.all([
      invoke("syncDatamartOrderStatus"),
      invoke("sweepNotifications"),
      invoke("checkAlerts"),
      tick % 6 === 1 ? invoke("checkSupplierHealth") : undefined,
      tick % 12 === 1 ? invoke("reconcileDatamartWallet") : undefined,
    ]);
  };
  startScheduler(config.syncEverySeconds, runSchedules, (error) =>
    say("schedule", `run failed: ${error instanceof Error ? error.message : String(error)}`),
  );

  for (let i = 0; i < config.freshOrders; i++) {
    const order = await retryTransient(() => placeDemoOrder(db(), localUrl(ports.datamart)));
    say(
      "order",
      `placed ${order.id} for ${maskPhone(String(order.data.phoneNumber))} (${order.datamart?.orderReference})`,
    );
  }
  return { datamart, mnotify, fcm, functionsHost: functions.functionsHost, consoleUrl: site.url };
}

const RULES_PATH = join(REPO_ROOT, "firestore.rules");

/** Edits to firestore.rules reach the running emulator at once; rules that do not compile are refused. */
function reloadRulesOnEdit(firestore: FirestoreEndpoint): void {
  let pending: NodeJS.Timeout | undefined;
  watch(RULES_PATH, () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      loadRules(firestore, readFileSync(RULES_PATH, "utf8")).then(
        () => say("rules", "firestore.rules reloaded"),
        (error: unknown) => say("rules", `kept the previous rules: ${String(error)}`),
      );
    }, 200);
  }).unref();
}

async function main(): Promise<void> {
  // No Google metadata server on 127.0.0.1: firebase-admin's libraries need not look for one (the
  // look-up printed a MetadataLookupWarning at shutdown).
  process.env.METADATA_SERVER_DETECTION ??= "none";
  // Ctrl-C: dev/processes.ts stops the emulators; the stand-ins end with this process.
  const stack = await startLocalStack(LOCAL);
  const base = `http://${stack.functionsHost}/${DEMO_PROJECT}/${REGION}`;
  const forget = recordRunningStack({ projectId: DEMO_PROJECT, ports: LOCAL.ports, base });
  process.on("exit", forget);
  console.log(`
DataSell order-status sync is running on 127.0.0.1 (project ${DEMO_PROJECT}).
  Sync and SMS retry run every ${LOCAL.syncEverySeconds} s (SYNC_EVERY_SECONDS=30 npm start for a demo); supplier health every 6th and reconciliation every 12th period.
  Demo users (password ${DEMO_PASSWORD}): ${DEMO_USERS.user.email}, ${DEMO_USERS.otherUser.email}, admin ${DEMO_USERS.admin.email}.
  ID tokens and BASE: eval "$(npm run -s tokens)"      Another order: npm run place-order
  Admin console: ${stack.consoleUrl} (sign in as ${DEMO_USERS.admin.email})
  API: ${base}/api   Stand-ins: ${stack.datamart.baseUrl}, ${stack.mnotify.baseUrl}, ${stack.fcm.url}
Press Ctrl-C to stop everything.
`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    if (error instanceof PortInUseError || error instanceof MissingEmulatorError) {
      console.error(error.message);
    } else {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      console.error(
        "\nnpm start could not bring the stack up; everything it started is stopped. The lines above " +
          "name the part that failed. Run npm start again; if it fails the same way, check that Java 17+ " +
          "and the Firestore emulator jar are installed (see README, The two commands).",
      );
    }
    process.exit(1);
  });
}
