import { expect } from "chai";
import type { Response } from "express";
import type { Request } from "firebase-functions/v2/https";
import { handleApiRequest } from "../../src/triggers/api";

/** Just enough of Express's request and response for the router. */
function exchange(method: string, path: string) {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = {
    headers: {},
  };
  const res = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
    set(name: string, value: string) {
      sent.headers[name] = value;
      return this;
    },
    get: (name: string) => sent.headers[name],
  };
  const req = { method, path, headers: {}, query: {} };
  return { req: req as unknown as Request, res: res as unknown as Response, sent };
}

describe("the HTTPS API's router", () => {
  it("answers 400 invalid-argument, not 500, for a broken percent-escape in a path", async () => {
    for (const path of ["/api/order-status/bad%", "/order-status/%E0%A4%A"]) {
      const { req, res, sent } = exchange("GET", path);
      await handleApiRequest(req, res);
      expect(sent.status, path).to.equal(400);
      expect(sent.body, path).to.deep.equal({
        success: false,
        error: { code: "invalid-argument", message: "The path holds a broken percent-escape" },
      });
    }
  });

  it("answers 405 with Allow for a known path and another method", async () => {
    const { req, res, sent } = exchange("DELETE", "/api/order-status/abc");
    await handleApiRequest(req, res);
    expect(sent.status).to.equal(405);
    expect(sent.headers.Allow).to.equal("GET");
  });
});
