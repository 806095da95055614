import { join } from "node:path";
import { COLLECTIONS, db } from "../src/firestore";
import { maskPhone } from "../src/logs";
import { DEMO_PROJECT, DEMO_USERS, seededOrders } from "./demoData";
import { REGION, REPO_ROOT, startFirestoreEmulator, startFunctionsEmulator } from "./emulators";
import { localHost, localUrl, LOCAL } from "./localConfig";
import { placeDemoOrder } from "./placeOrder";
import { stopAll } from "./processes";
import { startScheduler } from "./scheduler";
import { DatamartStandIn } from "./standins/datamartStandIn";

export interface LocalStack {
  datamart: DatamartStandIn;
  /** Runs the scheduled sync once, now, through the functions emulator. */
  syncNow(): Promise<void>;
  stop(): Promise<void>;
}

const say = (topic: string, text: string) =>
  console.log(`${new Date().toISOString().slice(11, 19)} [${topic}] ${text}`);

/**
 * The whole system on 127.0.0.1: the Firestore emulator loaded from emulator-data/, the functions and
 * auth emulators running this codebase, stand-in Datamart, a local scheduler, and a live log.
 */
export async function startLocalStack(config = LOCAL): Promise<LocalStack> {
  const { ports } = config;
  const datamart = await DatamartStandIn.start({
    port: ports.datamart,
    apiKey: "local-datamart-key",
    progression: {
      stepMs: [config.datamartStepSeconds[0] * 1000, config.datamartStepSeconds[1] * 1000],
      failShare: config.datamartFailShare,
    },
    onStatus: (order) => say("datamart", `${order.orderReference} is now ${order.status}`),
  });
  for (const order of seededOrders()) if (order.datamart) datamart.addOrder(order.datamart);

  const seed = join(REPO_ROOT, "emulator-data");
  const firestore = await startFirestoreEmulator({
    projectId: DEMO_PROJECT,
    port: ports.firestore,
    functionsEmulator: localHost(ports.functions),
    seedFrom: join(seed, "firestore_export", "firestore_export.overall_export_metadata"),
  });
  say("stack", `Firestore emulator on ${firestore.host}, loaded from emulator-data/`);
  const functions = await startFunctionsEmulator({
    projectId: DEMO_PROJECT,
    firestore,
    ports,
    params: { DATAMART_BASE_URL: datamart.baseUrl },
    importFrom: seed,
  });
  say(
    "stack",
    `Functions emulator on ${functions.functionsHost}, Auth emulator on ${functions.authHost}`,
  );

  process.env.FIRESTORE_EMULATOR_HOST = firestore.host;
  process.env.GCLOUD_PROJECT = DEMO_PROJECT;

  const lastStatus = new Map<string, string>();
  const stopWatching = db()
    .collection(COLLECTIONS.transactions)
    .onSnapshot((snapshot) => {
      for (const change of snapshot.docChanges()) {
        const status = String(change.doc.get("status"));
        const before = lastStatus.get(change.doc.id);
        if (before !== undefined && before !== status)
          say("order", `${change.doc.id}: ${before} -> ${status}`);
        lastStatus.set(change.doc.id, status);
      }
    });

  const syncNow = async () => {
    const url = `http://${functions.functionsHost}/functions/projects/${DEMO_PROJECT}/triggers/${REGION}-syncDatamartOrderStatus-0`;
    const response = await fetch(url, {
      method: "POST",
      headers: { "X-CloudScheduler-ScheduleTime": new Date().toISOString() },
    });
    if (!response.ok) {
      say("sync", `run failed: HTTP ${response.status}`);
      return;
    }
    const latest = await db()
      .collection(COLLECTIONS.syncRuns)
      .orderBy("startedAt", "desc")
      .limit(1)
      .get();
    const run = latest.docs[0]?.data();
    if (run) {
      say(
        "sync",
        `${String(run.message)}: due ${run.due}, checked ${run.checked}, updated ${run.updated}, unchanged ${run.unchanged}, errors ${run.errors}, needs attention ${run.needsAttention}`,
      );
    }
  };
  const stopScheduler = startScheduler(config.syncEverySeconds, syncNow);

  for (let i = 0; i < config.freshOrders; i++) {
    const order = await placeDemoOrder(db(), localUrl(ports.datamart));
    say(
      "order",
      `placed ${order.id} for ${maskPhone(String(order.data.phoneNumber))} (${order.datamart?.orderReference})`,
    );
  }

  return {
    datamart,
    syncNow,
    async stop() {
      stopScheduler();
      stopWatching();
      await datamart.close();
      await stopAll();
    },
  };
}

async function main(): Promise<void> {
  const stack = await startLocalStack();
  const api = `http://${localHost(LOCAL.ports.functions)}/${DEMO_PROJECT}/${REGION}`;
  console.log(`
DataSell order-status sync is running on 127.0.0.1 (project ${DEMO_PROJECT}).
  Sync runs every ${LOCAL.syncEverySeconds} s (SYNC_EVERY_SECONDS=30 npm start for a faster demo).
  Demo users: ${DEMO_USERS.user.email} (${DEMO_USERS.user.uid}), admin ${DEMO_USERS.admin.email}; tokens: npm run tokens
  Place another order: npm run place-order
  Functions: ${api}
  Stand-in Datamart: ${stack.datamart.baseUrl}
Press Ctrl-C to stop everything.
`);
}

if (require.main === module) {
  main().catch(async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
    await stopAll();
  });
}
