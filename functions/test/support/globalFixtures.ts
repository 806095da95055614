import nock from "nock";
import { freePort, startFirestoreEmulator } from "../../dev/emulators";
import { stopAll } from "../../dev/processes";
import { stopFunctionsStack } from "./functionsStack";

/** The test run's own project: a demo- id, so nothing can reach a real project. */
export const TEST_PROJECT = "demo-datasell-test";

/**
 * One Firestore emulator for the whole run, on a free port, with a functions emulator port reserved
 * so suites that need deployed-style functions can start them against it.
 */
export async function mochaGlobalSetup(): Promise<void> {
  const functionsPort = await freePort();
  const firestore = await startFirestoreEmulator({
    projectId: TEST_PROJECT,
    port: await freePort(),
    functionsEmulator: `127.0.0.1:${functionsPort}`,
  });
  process.env.FIRESTORE_EMULATOR_HOST = firestore.host;
  process.env.GCLOUD_PROJECT = TEST_PROJECT;
  process.env.TEST_FUNCTIONS_PORT = String(functionsPort);
  // Only 127.0.0.1 is reachable from tests: the stand-ins and emulators.
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
}

export async function mochaGlobalTeardown(): Promise<void> {
  await stopFunctionsStack();
  await stopAll();
}
