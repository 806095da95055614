import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { version } from "firebase-tools/package.json";
import { db } from "../src/firestore";
import { idTokenFor } from "./authEmulator";
import { DEMO_PROJECT, DEMO_USERS, emulatorDataOrders, emulatorDataUsers } from "./demoData";
import { registerPushToken } from "../src/notifications/pushTokens";
import { freePort, REPO_ROOT, startFirestoreEmulator, startFunctionsEmulator } from "./emulators";
import { stopAll } from "./processes";
import { COLLECTIONS } from "../src/contract";

/**
 * Rebuilds `emulator-data/` (the format `firebase emulators:export` writes) from dev/demoData.ts:
 * the demo users in auth_export, the seeded orders in firestore_export.
 */
async function main(): Promise<void> {
  const out = join(REPO_ROOT, "emulator-data");
  const firestore = await startFirestoreEmulator({
    projectId: DEMO_PROJECT,
    port: await freePort(),
  });
  const emulators = await startFunctionsEmulator({
    projectId: DEMO_PROJECT,
    firestore,
    ports: {
      functions: await freePort(),
      auth: await freePort(),
      hub: await freePort(),
      logging: await freePort(),
    },
  });
  for (const user of Object.values(DEMO_USERS))
    await idTokenFor(emulators.authHost, DEMO_PROJECT, user);

  process.env.FIRESTORE_EMULATOR_HOST = firestore.host;
  process.env.GCLOUD_PROJECT = DEMO_PROJECT;
  for (const order of emulatorDataOrders())
    await db().collection(COLLECTIONS.transactions).doc(order.id).set(order.data);
  for (const user of emulatorDataUsers()) {
    await db().collection(COLLECTIONS.users).doc(user.uid).set(user.data);
    for (const token of user.pushTokens)
      await registerPushToken({ db: db() }, user.uid, { token, platform: "android" });
  }

  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "auth_export"), { recursive: true });
  const exported = await fetch(
    `http://${firestore.host}/emulator/v1/projects/${DEMO_PROJECT}:export`,
    {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        database: `projects/${DEMO_PROJECT}/databases/(default)`,
        export_directory: out,
        export_name: "firestore_export",
      }),
    },
  );
  if (!exported.ok)
    throw new Error(`Firestore export failed: HTTP ${exported.status} ${await exported.text()}`);

  const owner = { headers: { Authorization: "Bearer owner" } };
  const auth = `http://${emulators.authHost}`;
  const accounts = await fetch(
    `${auth}/identitytoolkit.googleapis.com/v1/projects/${DEMO_PROJECT}/accounts:batchGet?maxResults=-1`,
    owner,
  );
  writeFileSync(join(out, "auth_export", "accounts.json"), await accounts.text());
  const config = await fetch(`${auth}/emulator/v1/projects/${DEMO_PROJECT}/config`, owner);
  writeFileSync(join(out, "auth_export", "config.json"), await config.text());

  writeFileSync(
    join(out, "firebase-export-metadata.json"),
    JSON.stringify(
      {
        version,
        firestore: {
          version: "preinstalled",
          path: "firestore_export",
          metadata_file: "firestore_export/firestore_export.overall_export_metadata",
        },
        auth: { version, path: "auth_export" },
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`Wrote ${out}`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
