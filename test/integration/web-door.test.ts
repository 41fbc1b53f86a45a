import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { WebServer } from "../../electron/web/server";
import { startTestDoor, TEST_TOKEN } from "../helpers/web-door";

let server: WebServer;
let cleanup: () => Promise<void>;
let base: string;
let staticDir: string;

beforeAll(async () => {
  const door = await startTestDoor();
  server = door.server;
  cleanup = door.cleanup;
  staticDir = join(door.dir, "static");
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await cleanup();
});

function call(body: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/call`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${TEST_TOKEN}`, ...headers },
    body,
  });
}

describe("the browser door", () => {
  it("serves app.status with the token", async () => {
    const res = await call(JSON.stringify({ method: "app.status", input: {} }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, value: { door: "web", schemaVersion: expect.any(Number) } });
  });

  it("answers hostile bodies with typed errors and keeps serving", async () => {
    const cases: [string, number, string][] = [
      ["{not json", 400, "invalid-input"],
      [JSON.stringify({ method: "app.shutdown", input: {} }), 200, "unknown-method"],
      [JSON.stringify({ method: "app.status", input: { x: 1 } }), 200, "invalid-input"],
      [JSON.stringify({ method: 42 }), 200, "unknown-method"],
      [JSON.stringify(null), 200, "unknown-method"],
      [JSON.stringify({ method: "__proto__" }), 200, "unknown-method"],
      [JSON.stringify({ method: "constructor" }), 200, "unknown-method"],
    ];
    for (const [body, status, code] of cases) {
      const res = await call(body);
      expect(res.status, body).toBe(status);
      expect(await res.json(), body).toMatchObject({ ok: false, error: { code } });
    }
    const huge = await call(JSON.stringify({ method: "app.status", input: { pad: "x".repeat(5 * 1024 * 1024) } }));
    expect(huge.status).toBe(413);
    const alive = await call(JSON.stringify({ method: "app.status", input: {} }));
    expect(alive.status).toBe(200);
  });

  it("refuses a non-JSON content type (no simple cross-site form posts)", async () => {
    const res = await call(JSON.stringify({ method: "app.status", input: {} }), { "Content-Type": "text/plain" });
    expect(res.status).toBe(415);
  });

  it("refuses a rebinding Host header", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: server.port,
          path: "/",
          method: "GET",
          headers: { Host: `evil.example:${server.port}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it("opens the event stream only with the token and the right origin", async () => {
    const open = (url: string, origin: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, { origin });
        ws.on("open", () => {
          ws.close();
          resolve("open");
        });
        ws.on("error", () => resolve("refused"));
        ws.on("unexpected-response", () => resolve("refused"));
      });
    const wsBase = `ws://127.0.0.1:${server.port}/api/events`;
    expect(await open(`${wsBase}?token=${TEST_TOKEN}`, base)).toBe("open");
    expect(await open(`${wsBase}?token=wrong`, base)).toBe("refused");
    expect(await open(`${wsBase}?token=${TEST_TOKEN}`, "http://evil.example")).toBe("refused");
  });

  it("serves static files with the CSP and never outside its folder", async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const outside = await fetch(`${base}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(await outside.text()).not.toContain("root:");
  });

  it("ends only that response when a static file cannot be read", async () => {
    // A Unix socket exists and is no folder, but opening it fails (ENXIO): the read error must not end the door.
    const listener = createServer();
    await new Promise<void>((resolve) => listener.listen(join(staticDir, "unreadable.js"), resolve));
    try {
      await expect(fetch(`${base}/unreadable.js`).then((res) => res.text())).rejects.toThrow();
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
    expect((await fetch(`${base}/`)).status).toBe(200);
  }, 15_000);
});

describe("the browser door's connections", () => {
  it("keeps an idle keep-alive connection past Node's default 5 s, so a reused socket is not reset", async () => {
    const { connect } = await import("node:net");
    const socket = connect(server.port, "127.0.0.1");
    const request = (body: string) =>
      [
        "POST /api/call HTTP/1.1",
        `Host: 127.0.0.1:${server.port}`,
        `Authorization: Bearer ${TEST_TOKEN}`,
        "Content-Type: application/json",
        "Connection: keep-alive",
        `Content-Length: ${Buffer.byteLength(body)}`,
        "",
        body,
      ].join("\r\n");
    const body = JSON.stringify({ method: "app.status", input: {} });
    let received = "";
    let closed = false;
    socket.on("data", (d) => {
      received += d.toString();
    });
    socket.on("close", () => {
      closed = true;
    });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(request(body));
    await expect.poll(() => received.split("HTTP/1.1 200").length - 1).toBe(1);
    // Idle past Node's default keepAliveTimeout: a plain Node server beside it, answered at the same moment, closes
    // its idle socket at that default; the door's socket must still be open when it does (no fixed sleep).
    const plain = createHttpServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const { port } = plain.address() as AddressInfo;
    const control = connect(port, "127.0.0.1");
    const controlClosed = new Promise<void>((resolve) => control.once("close", () => resolve()));
    control.on("data", () => undefined);
    control.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`);
    await controlClosed;
    plain.close();
    expect(closed).toBe(false);
    socket.write(request(body));
    await expect.poll(() => received.split("HTTP/1.1 200").length - 1).toBe(2);
    socket.destroy();
  }, 20_000);
});
