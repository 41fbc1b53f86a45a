import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { WebServer } from "../../electron/web/server";
import {
  doorStatus,
  frame,
  type RawConnection,
  rawConnection,
  startTestDoor,
  TEST_TOKEN,
  upgradeRequest,
} from "../helpers/web-door";

let server: WebServer;
let cleanup: () => Promise<void>;
let base: string;
let listener: WebSocket;

beforeAll(async () => {
  const door = await startTestDoor();
  server = door.server;
  cleanup = door.cleanup;
  base = `http://127.0.0.1:${server.port}`;
  listener = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${TEST_TOKEN}`, { origin: base });
  await new Promise((resolve, reject) => {
    listener.once("open", resolve);
    listener.once("error", reject);
  });
});

afterAll(async () => {
  listener.close();
  await cleanup();
});

/** A raw connection upgraded with the run's token: the door answered 101 and now reads frames from it. */
async function upgraded(): Promise<RawConnection> {
  const conn = await rawConnection(server.port);
  conn.socket.write(upgradeRequest(`127.0.0.1:${server.port}`, base, TEST_TOKEN));
  await expect.poll(() => conn.received()).toContain("\r\n\r\n");
  expect(conn.received()).toMatch(/^HTTP\/1\.1 101/);
  return conn;
}

/** The door still answers HTTP, and the other client's connection still answers a ping. */
async function doorStillServes(): Promise<void> {
  expect(await doorStatus(base)).toBe(200);
  expect(listener.readyState).toBe(WebSocket.OPEN);
  const pong = new Promise((resolve) => listener.once("pong", resolve));
  listener.ping();
  await pong;
}

const hostile: [string, Buffer][] = [
  ["an unmasked 6-byte text frame", frame(0x1, Buffer.from("test"), { mask: false })],
  ["a frame announcing more than the message limit", frame(0x2, Buffer.alloc(0), { length: 70_000 })],
  ["a frame announcing 2^63 bytes", frame(0x2, Buffer.alloc(0), { length: 2 ** 53 })],
  [
    "fragments that add up past the message limit",
    Buffer.concat([frame(0x2, Buffer.alloc(40_000), { fin: false }), frame(0x0, Buffer.alloc(40_000))]),
  ],
  ["a reserved opcode", frame(0x3, Buffer.from("x"))],
  ["a text frame that is not UTF-8", frame(0x1, Buffer.from([0xff, 0xfe, 0xc3]))],
  ["a control frame longer than 125 bytes", frame(0x9, Buffer.alloc(200))],
  ["reserved bits set", Buffer.from([0xf1, 0x80, 1, 2, 3, 4])],
];

describe("the browser door's event stream under malformed frames", () => {
  for (const [name, bytes] of hostile) {
    it(`closes only the socket that sent ${name}`, async () => {
      const conn = await upgraded();
      conn.socket.write(bytes);
      await conn.closed;
      await doorStillServes();
    });
  }

  it("survives a client that resets the connection mid-frame", async () => {
    const conn = await upgraded();
    conn.socket.write(frame(0x1, Buffer.from("hello")).subarray(0, 4));
    conn.socket.resetAndDestroy();
    await conn.closed;
    await doorStillServes();
  });

  it("survives a client that resets the connection during the handshake", async () => {
    const conn = await rawConnection(server.port);
    conn.socket.write(upgradeRequest(`127.0.0.1:${server.port}`, base, TEST_TOKEN).slice(0, 60));
    conn.socket.resetAndDestroy();
    await conn.closed;
    const full = await rawConnection(server.port);
    full.socket.write(upgradeRequest(`127.0.0.1:${server.port}`, base, TEST_TOKEN));
    full.socket.resetAndDestroy();
    await full.closed;
    await doorStillServes();
  });

  it("refuses frames sent without a valid upgrade and keeps serving", async () => {
    const conn = await rawConnection(server.port);
    conn.socket.write(
      Buffer.concat([
        Buffer.from(upgradeRequest(`127.0.0.1:${server.port}`, base, "wrong-token")),
        frame(0x1, Buffer.from("x")),
      ]),
    );
    conn.socket.write(frame(0x2, Buffer.alloc(0), { length: 70_000, mask: false }));
    await conn.closed;
    expect(conn.received()).toMatch(/^HTTP\/1\.1 403/);
    const reset = await rawConnection(server.port);
    reset.socket.write(upgradeRequest(`127.0.0.1:${server.port}`, base, "wrong-token"));
    reset.socket.resetAndDestroy();
    await reset.closed;
    await doorStillServes();
  });

  it("closes a refused upgrade's socket even when the client keeps its side open", async () => {
    const conn = await rawConnection(server.port, "127.0.0.1", true);
    conn.socket.write(upgradeRequest(`127.0.0.1:${server.port}`, base, "wrong-token"));
    await new Promise((resolve) => conn.socket.once("end", resolve));
    expect(conn.received()).toMatch(/^HTTP\/1\.1 403/);
    // The door has closed the connection, not just its sending side: what the client writes now is refused.
    const writeUntilRefused = async (): Promise<void> => {
      while (!conn.socket.destroyed) {
        await new Promise((resolve) => conn.socket.write(frame(0x1, Buffer.from("still here?")), resolve));
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await writeUntilRefused();
    await conn.closed;
    await doorStillServes();
  }, 15_000);
});
