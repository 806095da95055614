import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/** A child process started by the dev tooling, in its own process group so it dies with its children. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Output so far, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ManagedProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// Whatever happens to this process (end, error, Ctrl-C), nothing it started keeps running.
process.on("exit", () => running.forEach((p) => killGroup(p.child, "SIGKILL")));
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    const names = [...running].map((p) => p.name);
    void stopAll().finally(() => {
      if (names.length) console.log(`stopped: ${names.join(", ")}`);
      process.exit(130);
    });
  });
}

export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions & { onOutput?: (text: string) => void } = {},
): ManagedProcess {
  const child = spawn(command, args, {
    ...options,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString();
    output = (output + text).slice(-20_000);
    options.onOutput?.(text);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const managed: ManagedProcess = {
    name,
    child,
    output: () => output,
    async stop() {
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
      running.delete(managed);
    },
  };
  running.add(managed);
  return managed;
}

/** Stops every process started here, newest first. */
export async function stopAll(): Promise<void> {
  for (const p of [...running].reverse()) await p.stop();
}
