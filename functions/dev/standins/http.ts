import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HOST } from "../emulators";

export type Handler = (
  req: IncomingMessage,
  body: string,
  res: ServerResponse,
) => void | Promise<void>;

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 only; `close` also drops kept-alive connections. */
export async function listen(handler: Handler, port = 0): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      Promise.resolve(handler(req, Buffer.concat(chunks).toString("utf8"), res)).catch(
        (error: unknown) => {
          if (!res.headersSent) sendJson(res, 500, { status: "error", message: String(error) });
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/** What a stand-in answers instead of its normal reply: a fixed HTTP status and raw body, maybe late. */
export interface CannedReply {
  httpStatus: number;
  body: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

export async function sendCanned(res: ServerResponse, reply: CannedReply): Promise<void> {
  if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
  if (res.destroyed) return;
  res.writeHead(reply.httpStatus, { "Content-Type": "application/json", ...reply.headers });
  res.end(reply.body);
}
