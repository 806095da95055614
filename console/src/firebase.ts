import { initializeApp, type FirebaseOptions } from "firebase/app";
import type { Callables } from "../../functions/src/contract";
import { connectAuthEmulator, getAuth, type Auth } from "firebase/auth";
import {
  connectFirestoreEmulator,
  getFirestore,
  type Firestore,
} from "firebase/firestore";
import {
  connectFunctionsEmulator,
  getFunctions,
  httpsCallable,
  type Functions,
} from "firebase/functions";

/**
 * The public web config comes from Firebase Hosting's own `/__/firebase/init.json` (so nothing but
 * the public config reaches the browser, and none is built into the bundle). The local stack serves
 * the same file with an `emulators` block naming the emulators' hosts.
 */
interface InitJson extends FirebaseOptions {
  emulators?: { auth: string; firestore: string; functions: string };
}

export interface Backend {
  auth: Auth;
  db: Firestore;
  functions: Functions;
  /** Calls a callable function with its request, answering its answer (the shared contract). */
  call<Name extends keyof Callables>(
    name: Name,
    data: Callables[Name]["request"],
  ): Promise<Callables[Name]["answer"]>;
}

export async function connect(): Promise<Backend> {
  const response = await fetch("/__/firebase/init.json");
  if (!response.ok)
    throw new Error(
      `No Firebase config at /__/firebase/init.json (${response.status})`,
    );
  const { emulators, ...options } = (await response.json()) as InitJson;
  const app = initializeApp(options);
  const auth = getAuth(app);
  const db = getFirestore(app);
  const functions = getFunctions(app, "us-central1");
  if (emulators) {
    connectAuthEmulator(auth, `http://${emulators.auth}`, {
      disableWarnings: true,
    });
    const [fsHost, fsPort] = emulators.firestore.split(":");
    connectFirestoreEmulator(db, fsHost, Number(fsPort));
    const [fnHost, fnPort] = emulators.functions.split(":");
    connectFunctionsEmulator(functions, fnHost, Number(fnPort));
  }
  return {
    auth,
    db,
    functions,
    call: async (name, data) =>
      (await httpsCallable(functions, name)(data)).data as never,
  };
}
