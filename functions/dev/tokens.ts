import { idTokenFor } from "./authEmulator";
import { DEMO_USERS } from "./demoData";
import { localHost, runningStack } from "./localConfig";

/**
 * `npm run tokens`: shell exports of ID tokens for the demo user and the demo admin, of BASE (the
 * functions' base URL) and of the stand-ins' URLs (DATAMART, MNOTIFY, FCM), from the running
 * `npm start`, whatever ports it was started with.
 */
async function main(): Promise<void> {
  const stack = runningStack();
  const auth = localHost(stack.ports.auth);
  console.log(`export USER_TOKEN=${await idTokenFor(auth, stack.projectId, DEMO_USERS.user)}`);
  console.log(`export ADMIN_TOKEN=${await idTokenFor(auth, stack.projectId, DEMO_USERS.admin)}`);
  console.log(`export BASE=${stack.base}`);
  console.log(`export DATAMART=http://${localHost(stack.ports.datamart)}`);
  console.log(`export MNOTIFY=http://${localHost(stack.ports.mnotify)}`);
  console.log(`export FCM=http://${localHost(stack.ports.fcm)}`);
}

main().catch((error: unknown) => {
  console.error(`Is npm start running? ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
