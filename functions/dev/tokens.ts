import { idTokenFor } from "./authEmulator";
import { DEMO_PROJECT, DEMO_USERS } from "./demoData";
import { localHost, LOCAL } from "./localConfig";

/** `npm run tokens`: ID tokens for the demo user and the demo admin, from a running `npm start`. */
async function main(): Promise<void> {
  const auth = localHost(LOCAL.ports.auth);
  console.log(`export USER_TOKEN=${await idTokenFor(auth, DEMO_PROJECT, DEMO_USERS.user)}`);
  console.log(`export ADMIN_TOKEN=${await idTokenFor(auth, DEMO_PROJECT, DEMO_USERS.admin)}`);
}

main().catch((error: unknown) => {
  console.error(`Is npm start running? ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
