import { expect } from "chai";
import { connect } from "node:net";
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
    ]) {
      ports[`${name}_PORT`] = await freePort();
    }
  });
  after(() => stack?.stop());

  const env = () => ({
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    SYNC_EVERY_SECONDS: "2",
    DATAMART_FAIL_SHARE: "0",
    DATAMART_STEP_MIN_SECONDS: "0.3",
    DATAMART_STEP_MAX_SECONDS: "0.6",
    DEMO_ORDERS: "0",
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
});
