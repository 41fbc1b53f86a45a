import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CoreDoor } from "../core/worker/client";
import { readBody } from "./request-body";
import {
  bearerToken,
  checkRequestOrigin,
  contentSecurityPolicy,
  loopbackHost,
  tokenMatches,
  weakTokenReason,
} from "./security";
import { serveStatic } from "./static-files";

export interface WebServerOptions {
  /** The core in-process (tests) or in a worker (the `shiftgate web` command): the door only forwards to it. */
  readonly core: CoreDoor;
  readonly staticDir: string;
  readonly port?: number;
  readonly host?: string;
  readonly token?: string;
  /** How long a client has to send a whole request (headers and body) before the door gives up on it. */
  readonly requestTimeoutMs?: number;
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** The largest request body the door reads; it stops reading at this size and answers 413. */
export const MAX_BODY = 4 * 1024 * 1024;
/** The largest WebSocket message the door accepts: clients only listen, so anything bigger is hostile. */
const MAX_WS_MESSAGE = 64 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;

/** Serves the renderer and the dispatcher on loopback: POST /api/call with the run's token, WS /api/events. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = loopbackHost(options.host);
  if (host === null) {
    throw new Error(`The browser door only listens on loopback (127.0.0.1, ::1, localhost), not ${options.host}.`);
  }
  const weak = options.token === undefined ? null : weakTokenReason(options.token);
  if (weak !== null) throw new Error(`The browser door's token is too weak: ${weak}.`);
  const token = options.token ?? randomBytes(24).toString("base64url");
  let port = 0;
  const baseHeaders = (): Record<string, string> => ({
    // No ws://[::1] source: CSP has no syntax for IPv6 literals (Chromium reports it as invalid); a page served on
    // [::1] reaches its own WebSocket through 'self', which matches ws: on the page's own host and port.
    "Content-Security-Policy": contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  });
  // Timeouts set here, not left to Node's defaults (5 minutes for a request): a client that trickles a body or
  // headers cannot hold a connection and its buffers for long. Checked every second so the bound is the bound.
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const server = createServer(
    { requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: 1_000 },
    (req, res) => {
      handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, baseHeaders());
        res.end();
      });
    },
  );
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const verdict = checkRequestOrigin(port, req.headers.origin, req.headers.host);
    if (!verdict.ok) return json(res, 403, { ok: false, error: { code: "forbidden", message: verdict.reason } });
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/api/call") {
      if (req.method !== "POST")
        return json(res, 405, { ok: false, error: { code: "invalid-input", message: "Use POST." } });
      if (!tokenMatches(token, bearerToken(req.headers.authorization))) {
        return json(res, 401, { ok: false, error: { code: "unauthorised", message: "Missing or wrong token." } });
      }
      if (!(req.headers["content-type"] ?? "").startsWith("application/json")) {
        return json(res, 415, { ok: false, error: { code: "invalid-input", message: "Send application/json." } });
      }
      const body = await readBody(req, MAX_BODY);
      if (!body.ok) {
        // The rest of the body is never read: the answer closes the connection (Node destroys it after the 413).
        res.shouldKeepAlive = false;
        return json(res, 413, {
          ok: false,
          error: { code: "invalid-input", message: `Request too large: the limit is ${MAX_BODY} bytes.` },
        });
      }
      let message: unknown;
      try {
        message = JSON.parse(body.text);
      } catch {
        return json(res, 400, { ok: false, error: { code: "invalid-input", message: "The request is not JSON." } });
      }
      const { method, input } = (message ?? {}) as { method?: unknown; input?: unknown };
      const result = await options.core.call(typeof method === "string" ? method : "", input, "web");
      return json(res, 200, result);
    }
    if (path.startsWith("/api/"))
      return json(res, 404, { ok: false, error: { code: "not-found", message: "No such endpoint." } });
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, baseHeaders()).end();
      return;
    }
    serveStatic(options.staticDir, path, res, baseHeaders());
  }
  function json(res: ServerResponse, status: number, value: unknown): void {
    res
      .writeHead(status, { ...baseHeaders(), "Content-Type": "application/json; charset=utf-8" })
      .end(JSON.stringify(value));
  }

  // Every socket and WebSocket gets an error handler: ws reports a malformed frame (unmasked, oversized, bad opcode,
  // invalid UTF-8) as an 'error' event, and an unhandled 'error' would end the whole door, not just that client.
  // ws loads only when a door opens: importing it costs ~90 ms, which every other CLI command would pay at start.
  const { WebSocketServer } = await import("ws");
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE });
  wss.on("error", () => undefined);
  wss.on("connection", (ws) => {
    ws.on("error", () => ws.terminate());
  });
  server.on("upgrade", (req, socket, head) => {
    // Node removes its own error handler from a socket it hands to 'upgrade'.
    socket.on("error", () => socket.destroy());
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const verdict = checkRequestOrigin(port, req.headers.origin, req.headers.host);
    if (url.pathname !== "/api/events" || !verdict.ok || !tokenMatches(token, url.searchParams.get("token"))) {
      // Closed once the answer is sent (as ws does): a refused client cannot hold the socket open by not closing.
      socket.once("finish", () => socket.destroy());
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws));
  });
  const unsubscribe = options.core.onEvent((event) => {
    const text = JSON.stringify(event);
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  // Keep idle connections longer than browsers do (Chromium drops a used idle socket after 300 s): with Node's
  // default of 5 s the server could close a socket just as the page reused it, and a POST sent into that race
  // fails with a connection reset instead of reaching the core. Loopback only, so idle sockets cost nothing.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host === "::1" ? "[::1]" : host;
  return {
    url: `http://${shownHost}:${port}/#token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** How long the browser door keeps an idle keep-alive connection: longer than any browser keeps one. */
const KEEP_ALIVE_MS = 310_000;
