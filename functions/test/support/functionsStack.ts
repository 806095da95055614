import { freePort, startFunctionsEmulator, type FunctionsEmulator } from "../../dev/emulators";
import { idTokenFor, type DemoUser } from "../../dev/authEmulator";
import { DatamartStandIn } from "../../dev/standins/datamartStandIn";

/** The functions and auth emulators running this codebase, with stand-in providers. Started once, on demand. */
export interface FunctionsStack {
  emulator: FunctionsEmulator;
  datamart: DatamartStandIn;
  /** Runs a scheduled function the way Cloud Scheduler would. */
  invokeScheduled(name: string): Promise<void>;
  idToken(user: DemoUser): Promise<string>;
}

let starting: Promise<FunctionsStack> | undefined;
const closers: (() => Promise<void>)[] = [];

export function functionsStack(): Promise<FunctionsStack> {
  starting ??= start();
  return starting;
}

async function start(): Promise<FunctionsStack> {
  const datamart = await DatamartStandIn.start({ apiKey: "local-datamart-key" });
  closers.push(() => datamart.close());
  const projectId = String(process.env.GCLOUD_PROJECT);
  const emulator = await startFunctionsEmulator({
    projectId,
    firestore: { host: String(process.env.FIRESTORE_EMULATOR_HOST), projectId },
    ports: {
      functions: Number(process.env.TEST_FUNCTIONS_PORT),
      auth: await freePort(),
      hub: await freePort(),
      logging: await freePort(),
    },
    params: { DATAMART_BASE_URL: datamart.baseUrl },
  });
  closers.push(() => emulator.process.stop());
  return {
    emulator,
    datamart,
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
  };
}

export async function stopFunctionsStack(): Promise<void> {
  for (const close of closers.reverse()) await close();
}
