import { minimatch } from "minimatch";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { HOST, REPO_ROOT } from "./emulators";
import { listen, sendJson, type RunningServer } from "./standins/http";

export const CONSOLE_DIR = join(REPO_ROOT, "console");
const DIST = join(CONSOLE_DIR, "dist");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** Builds the admin console (`console/`, Vite) into `console/dist`. */
export function buildConsole(): void {
  execFileSync("npm", ["--prefix", CONSOLE_DIR, "run", "--silent", "build"], { stdio: "pipe" });
}

export interface ConsoleTarget {
  projectId: string;
  /** host:port of each emulator the page talks to. */
  emulators: { auth: string; firestore: string; functions: string };
}

/**
 * The headers `firebase.json` has Hosting send for a path: every rule whose glob matches it, a
 * later rule's header replacing an earlier one's (as Hosting does), the Content-Security-Policy's
 * `connect-src` widened to the emulators the local page talks to instead of Google's endpoints.
 */
function hostingHeaders(target: ConsoleTarget, path: string): Record<string, string> {
  const config = JSON.parse(readFileSync(join(REPO_ROOT, "firebase.json"), "utf8")) as {
    hosting: { headers: { source: string; headers: { key: string; value: string }[] }[] };
  };
  const emulators = Object.values(target.emulators).map((host) => `http://${host}`);
  return Object.fromEntries(
    config.hosting.headers
      .filter((rule) => minimatch(path, rule.source))
      .flatMap((rule) => rule.headers)
      .map(({ key, value }) => [
        key,
        key === "Content-Security-Policy"
          ? value.replace("connect-src 'self'", `connect-src 'self' ${emulators.join(" ")}`)
          : value,
      ]),
  );
}

/**
 * Serves the built console on 127.0.0.1 as Firebase Hosting would: its files with Hosting's
 * headers, `index.html` for any other path, and `/__/firebase/init.json`, here with the demo
 * project's config and the emulators.
 */
export async function serveConsole(
  target: ConsoleTarget,
  port = 0,
): Promise<RunningServer & { url: string }> {
  if (!existsSync(join(DIST, "index.html"))) buildConsole();
  const server = await listen((req, _body, res) => {
    const path = new URL(req.url ?? "/", "http://console").pathname;
    if (path === "/__/firebase/init.json") {
      sendJson(res, 200, {
        projectId: target.projectId,
        apiKey: "demo-api-key",
        authDomain: `${target.projectId}.firebaseapp.com`,
        appId: "1:000000000000:web:demo",
        emulators: target.emulators,
      });
      return;
    }
    const file = normalize(join(DIST, path));
    const served =
      file.startsWith(DIST) && existsSync(file) && extname(file) ? file : join(DIST, "index.html");
    res.writeHead(200, {
      ...hostingHeaders(target, path),
      "Content-Type": TYPES[extname(served)] ?? "application/octet-stream",
    });
    res.end(readFileSync(served));
  }, port);
  return { ...server, url: `http://${HOST}:${server.port}/` };
}
