import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY, type WebServer } from "../../electron/web/server";
import { doorStatus, type RawConnection, rawConnection, startTestDoor, TEST_TOKEN } from "../helpers/web-door";

let server: WebServer;
let cleanup: () => Promise<void>;
let base: string;

beforeAll(async () => {
  // A short request timeout so the slow-client cases end in seconds; the production default is 30 s.
  const door = await startTestDoor({ requestTimeoutMs: 1_000 });
  server = door.server;
  cleanup = door.cleanup;
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await cleanup();
});

function callHead(extra: readonly string[]): string {
  return [
    "POST /api/call HTTP/1.1",
    `Host: 127.0.0.1:${server.port}`,
    `Authorization: Bearer ${TEST_TOKEN}`,
    "Content-Type: application/json",
    ...extra,
    "",
    "",
  ].join("\r\n");
}

/**
 * Writes `total` bytes in 64 KiB pieces, each after the last was accepted, until done or until the door closes the
 * connection. Returns how many bytes the socket took.
 */
async function sendSlowly(conn: RawConnection, total: number, piece: (n: number) => Buffer): Promise<number> {
  let sent = 0;
  let open = true;
  void conn.closed.then(() => {
    open = false;
  });
  while (open && sent < total) {
    const n = Math.min(64 * 1024, total - sent);
    const ok = await new Promise<boolean>((resolve) => conn.socket.write(piece(n), (error) => resolve(!error)));
    if (!ok) break;
    sent += n;
  }
  return sent;
}

const FIFTY_MB = 50 * 1024 * 1024;

describe("the browser door's request bodies", () => {
  it("stops reading a 50 MB chunked body at the cap, answers 413 and keeps serving", async () => {
    const conn = await rawConnection(server.port);
    conn.socket.write(callHead(["Transfer-Encoding: chunked"]));
    const sent = await sendSlowly(conn, FIFTY_MB, (n) =>
      Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), Buffer.alloc(n, 0x20), Buffer.from("\r\n")]),
    );
    // The door closed the connection long before the client got through its 50 MB: what it took is the cap plus
    // what the two sockets' kernel buffers hold, never the whole upload.
    expect(sent).toBeLessThan(MAX_BODY + 16 * 1024 * 1024);
    await conn.closed;
    expect(conn.received()).toMatch(/^HTTP\/1\.1 413/);
    expect(await doorStatus(base)).toBe(200);
  });

  it("refuses a body announced past the cap before reading it", async () => {
    const conn = await rawConnection(server.port);
    conn.socket.write(callHead([`Content-Length: ${FIFTY_MB}`]));
    const sent = await sendSlowly(conn, FIFTY_MB, (n) => Buffer.alloc(n, 0x20));
    expect(sent).toBeLessThan(16 * 1024 * 1024);
    await conn.closed;
    expect(conn.received()).toMatch(/^HTTP\/1\.1 413/);
    expect(await doorStatus(base)).toBe(200);
  });

  it("answers the body a short Content-Length announces and refuses the rest as a bad request", async () => {
    const conn = await rawConnection(server.port);
    const body = JSON.stringify({ method: "app.status", input: {} });
    conn.socket.write(callHead(["Content-Length: 5"]) + body + "x".repeat(100_000));
    await conn.closed;
    expect(conn.received()).toMatch(/^HTTP\/1\.1 400/);
    expect(conn.received()).not.toContain("HTTP/1.1 200");
    expect(await doorStatus(base)).toBe(200);
  });

  it("gives up on a body that never arrives (Content-Length larger than what is sent)", async () => {
    const conn = await rawConnection(server.port);
    conn.socket.write(`${callHead(["Content-Length: 1000"])}{"method":`);
    await conn.closed;
    expect(conn.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(await doorStatus(base)).toBe(200);
  }, 15_000);

  it("gives up on headers that never finish", async () => {
    const conn = await rawConnection(server.port);
    conn.socket.write(`POST /api/call HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Slow: `);
    await conn.closed;
    expect(conn.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(await doorStatus(base)).toBe(200);
  }, 15_000);
});
