import { expect } from "chai";
import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from "firebase/auth";
import {
  collection,
  connectFirestoreEmulator,
  doc,
  getDoc,
  getDocs,
  getFirestore,
  query,
  setLogLevel,
  updateDoc,
  where,
  type Firestore,
} from "firebase/firestore";
import { mkdtempSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_PASSWORD } from "../../dev/authEmulator";
import { DEMO_USERS } from "../../dev/demoData";
import { FUNCTIONS_DIR, freePort, HOST } from "../../dev/emulators";
import { startProcess, type ManagedProcess } from "../../dev/processes";
import type { ReceivedSms } from "../../dev/standins/mnotifyStandIn";
import { eventually } from "../support/eventually";

const isOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, HOST);
    socket.once("connect", () => resolve(!socket.destroy()));
    socket.once("error", () => resolve(false));
  });

describe("the local stack, started as npm start starts it", function () {
  this.timeout(180_000);
  let stack: ManagedProcess | undefined;
  const ports: Record<string, number> = {};

  before(async () => {
    for (const name of [
      "FIRESTORE",
      "FUNCTIONS",
      "AUTH",
      "HUB",
      "LOGGING",
      "DATAMART_STANDIN",
      "MNOTIFY_STANDIN",
      "FCM_STANDIN",
    ]) {
      ports[`${name}_PORT`] = await freePort();
    }
  });
  after(() => stack?.stop());

  const stackFile = join(mkdtempSync(join(tmpdir(), "local-stack-")), "local-stack.json");
  const env = () => ({
    ...process.env,
    LOCAL_STACK_FILE: stackFile,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    SYNC_EVERY_SECONDS: "2",
    DATAMART_FAIL_SHARE: "0",
    DATAMART_STEP_MIN_SECONDS: "0.3",
    DATAMART_STEP_MAX_SECONDS: "0.6",
    DEMO_ORDERS: "0",
  });

  it("refuses a port that is already taken, naming it and the variable that moves it", async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(ports.FIRESTORE_PORT, HOST, resolve));
    try {
      const started = Date.now();
      const refused = startProcess(
        "local stack",
        process.execPath,
        ["-r", "tsx/cjs", "dev/localStack.ts"],
        { cwd: FUNCTIONS_DIR, env: env() },
      );
      const exitCode = await eventually(
        "the stack to give up",
        () => refused.child.exitCode ?? undefined,
        20_000,
      );
      expect(exitCode).to.equal(1);
      expect(Date.now() - started).to.be.below(15_000);
      expect(refused.output()).to.include(
        `Port ${ports.FIRESTORE_PORT} (Firestore emulator) is already in use`,
      );
      expect(refused.output()).to.include("FIRESTORE_PORT=");
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it("delivers a placed order, sends exactly one SMS for it, and leaves no port open after Ctrl-C", async () => {
    stack = startProcess("local stack", process.execPath, ["-r", "tsx/cjs", "dev/localStack.ts"], {
      cwd: FUNCTIONS_DIR,
      env: env(),
    });
    await eventually(
      "the stack to be ready",
      () => (/Press Ctrl-C/.test(stack!.output()) ? true : undefined),
      150_000,
    );

    const placing = startProcess(
      "place-order",
      process.execPath,
      ["-r", "tsx/cjs", "dev/placeOrder.ts"],
      { cwd: FUNCTIONS_DIR, env: env() },
    );
    const placed = await eventually(
      "the order to be placed",
      () => /Placed (\S+)/.exec(placing.output())?.[1],
      60_000,
    );
    await placing.stop();

    await eventually(
      `${placed} delivered`,
      () => (stack!.output().includes(`${placed}: processing -> delivered`) ? true : undefined),
      60_000,
    );
    const firestore = `http://${HOST}:${ports.FIRESTORE_PORT}/v1/projects/demo-datasell/databases/(default)/documents`;
    const record = await eventually("the SMS record", async () => {
      const response = await fetch(`${firestore}/orderNotifications/${placed}_delivered`, {
        headers: { Authorization: "Bearer owner" },
      });
      const doc = (await response.json()) as {
        fields?: Record<
          string,
          { stringValue?: string; mapValue?: { fields: Record<string, { stringValue: string }> } }
        >;
      };
      return doc.fields?.state?.stringValue === "SENT" ? doc.fields : undefined;
    });
    const campaignId = record.providerIds?.mapValue?.fields.campaignId.stringValue;
    const messages = (await (
      await fetch(`http://${HOST}:${ports.MNOTIFY_STANDIN_PORT}/_standin/messages`)
    ).json()) as ReceivedSms[];
    expect(messages.filter((m) => m.campaignId === campaignId)).to.have.length(1);
    expect(messages.filter((m) => m.message === record.message?.stringValue)).to.have.length(1);
    expect(stack.output()).to.match(/\[sms\] to 233\d\d\*{5}\d\d: .*has been delivered/);
    // The placed order is Ama's: she chose every channel and has a phone registered for push.
    const pushes = await eventually("the placed order's push", async () => {
      const received = (await (
        await fetch(`http://${HOST}:${ports.FCM_STANDIN_PORT}/_standin/messages`)
      ).json()) as { data?: { orderId?: string; status?: string } }[];
      const mine = received.filter(
        (p) => p.data?.orderId === placed && p.data.status === "delivered",
      );
      return mine.length > 0 ? mine : undefined;
    });
    expect(pushes).to.have.length(1);
    const mail = await eventually("the placed order's email", async () => {
      const response = await fetch(`${firestore}/mail/${placed}_delivered`, {
        headers: { Authorization: "Bearer owner" },
      });
      const doc = (await response.json()) as { fields?: { to?: { stringValue: string } } };
      return doc.fields?.to?.stringValue;
    });
    expect(mail).to.equal("ama@datasell.demo");
    // The stack's own log lines come from its listeners, a moment after the documents.
    for (const line of [
      /\[push\] to device .*Data delivered/,
      /\[email\] to ama@datasell\.demo: Data delivered - DataSell/,
    ])
      await eventually(`the log line ${line}`, () =>
        line.test(stack!.output()) ? true : undefined,
      );

    const tokens = startProcess("tokens", process.execPath, ["-r", "tsx/cjs", "dev/tokens.ts"], {
      cwd: FUNCTIONS_DIR,
      env: env(),
    });
    const base = await eventually(
      "the tokens",
      () => /export BASE=(\S+)/.exec(tokens.output())?.[1],
    );
    expect(base).to.equal(`http://${HOST}:${ports.FUNCTIONS_PORT}/demo-datasell/us-central1`);
    expect(tokens.output()).to.match(/export USER_TOKEN=\S+\nexport ADMIN_TOKEN=\S+/);
    await tokens.stop();

    await clientChecks();

    stack.child.kill("SIGINT");
    await eventually(
      "the stack to exit",
      () => (stack!.child.exitCode !== null || stack!.child.signalCode !== null ? true : undefined),
      30_000,
    );
    const open = [];
    for (const [name, port] of Object.entries(ports)) if (await isOpen(port)) open.push(name);
    expect(open).to.deep.equal([]);
  });

  /** The Firebase JS SDK, signed in through the stack's Auth emulator, against its Firestore. */
  async function signedInClient(email: string): Promise<{ app: FirebaseApp; db: Firestore }> {
    const app = initializeApp({ projectId: "demo-datasell", apiKey: "fake-api-key" }, email);
    const auth = getAuth(app);
    connectAuthEmulator(auth, `http://${HOST}:${ports.AUTH_PORT}`, { disableWarnings: true });
    await signInWithEmailAndPassword(auth, email, DEMO_PASSWORD);
    const db = getFirestore(app);
    connectFirestoreEmulator(db, HOST, ports.FIRESTORE_PORT);
    return { app, db };
  }

  const denied = (attempt: Promise<unknown>) =>
    attempt.then(
      () => "allowed",
      (error: { code?: string }) => error.code,
    );

  async function clientChecks(): Promise<void> {
    setLogLevel("silent"); // denied requests are expected here
    const user = await signedInClient(DEMO_USERS.user.email);
    const admin = await signedInClient(DEMO_USERS.admin.email);
    try {
      const own = doc(user.db, "transactions", "DS-SEED-LEGACY-SUCCESS");
      expect((await getDoc(own)).get("userId")).to.equal(DEMO_USERS.user.uid);
      expect(await denied(updateDoc(own, { status: "delivered" }))).to.equal("permission-denied");
      expect(await denied(getDocs(collection(user.db, "transactions")))).to.equal(
        "permission-denied",
      );
      const mine = await getDocs(
        query(collection(user.db, "transactions"), where("userId", "==", DEMO_USERS.user.uid)),
      );
      expect(mine.size).to.be.greaterThan(0);
      expect(await denied(getDocs(collection(user.db, "orderNotifications")))).to.equal(
        "permission-denied",
      );

      expect((await getDocs(collection(admin.db, "transactions"))).size).to.be.greaterThan(
        mine.size,
      );
      expect((await getDocs(collection(admin.db, "orderNotifications"))).size).to.be.greaterThan(0);
      // Admins read everything; no client writes an order, not even an admin's.
      const asAdmin = doc(admin.db, "transactions", own.id);
      expect(await denied(updateDoc(asAdmin, { status: "delivered" }))).to.equal(
        "permission-denied",
      );
    } finally {
      await Promise.all([deleteApp(user.app), deleteApp(admin.app)]);
    }
  }
});
