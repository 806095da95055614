import { HOST } from "../emulators";
import { listen, sendJson, type RunningServer } from "./http";

interface Ruleset {
  name: string;
  files: { name: string; content: string }[];
}

/**
 * A stand-in for the Firebase Rules API (`firebaserules.googleapis.com/v1`) on 127.0.0.1, as much as
 * a rules release uses: list releases, read a ruleset, create a ruleset, update a release. It keeps
 * every request, so a test can count the writes a dry run must not make.
 */
export class RulesApiStandIn {
  readonly requests: { method: string; path: string }[] = [];
  private readonly rulesets = new Map<string, Ruleset>();
  private readonly releases = new Map<string, string>();
  private server!: RunningServer;

  private constructor(private readonly projectId: string) {}

  /** A project whose Firestore release serves `liveRules`. */
  static async start(projectId: string, liveRules: string): Promise<RulesApiStandIn> {
    const standIn = new RulesApiStandIn(projectId);
    const live = standIn.addRuleset(liveRules);
    standIn.releases.set(`projects/${projectId}/releases/cloud.firestore`, live);
    standIn.server = await listen((req, body, res) => {
      const method = req.method ?? "GET";
      const path = new URL(req.url ?? "/", "http://stand-in").pathname.replace(/^\/v1\//, "");
      standIn.requests.push({ method, path });
      const project = `projects/${projectId}`;
      if (method === "GET" && path === `${project}/releases`)
        return sendJson(res, 200, {
          releases: [...standIn.releases].map(([name, rulesetName]) => ({
            name,
            rulesetName,
            createTime: "2026-11-01T00:00:00Z",
          })),
        });
      if (method === "GET" && standIn.rulesets.has(path)) {
        const ruleset = standIn.rulesets.get(path)!;
        return sendJson(res, 200, { name: ruleset.name, source: { files: ruleset.files } });
      }
      if (method === "POST" && path === `${project}/rulesets`) {
        const { source } = JSON.parse(body) as { source: { files: Ruleset["files"] } };
        const name = standIn.addRuleset(source.files.map((f) => f.content).join("\n"));
        return sendJson(res, 200, { name });
      }
      if (method === "PATCH" && standIn.releases.has(path)) {
        const { release } = JSON.parse(body) as { release: { rulesetName: string } };
        standIn.releases.set(path, release.rulesetName);
        return sendJson(res, 200, { name: path, rulesetName: release.rulesetName });
      }
      sendJson(res, 404, { error: { code: 404, message: `No ${method} ${path}` } });
    });
    return standIn;
  }

  get url(): string {
    return `http://${HOST}:${this.server.port}`;
  }

  /** The rules the project's Firestore release serves now. */
  get liveRules(): string {
    const name = this.releases.get(`projects/${this.projectId}/releases/cloud.firestore`)!;
    return this.rulesets
      .get(name)!
      .files.map((f) => f.content)
      .join("\n");
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private addRuleset(content: string): string {
    const name = `projects/${this.projectId}/rulesets/r${this.rulesets.size + 1}`;
    this.rulesets.set(name, { name, files: [{ name: "firestore.rules", content }] });
    return name;
  }
}
