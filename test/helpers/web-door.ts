import { mkdirSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { startWebServer, type WebServer, type WebServerOptions } from "../../electron/web/server";
import { tempCore } from "./temp";

/** A token that passes the door's strength rule (32+ characters of [A-Za-z0-9_-]). */
export const TEST_TOKEN = "test-token-0123456789abcdefghijklmnop";

/** A browser door on a fresh core with a one-page static folder. */
export async function startTestDoor(
  options: Partial<Omit<WebServerOptions, "core" | "staticDir">> = {},
): Promise<{ readonly server: WebServer; readonly dir: string; readonly cleanup: () => Promise<void> }> {
  const t = await tempCore();
  const staticDir = join(t.dir, "static");
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, "index.html"), "<!doctype html><title>Shiftgate</title>");
  const server = await startWebServer({ core: t.core, staticDir, token: TEST_TOKEN, ...options });
  return {
    server,
    dir: t.dir,
    cleanup: async () => {
      await server.close();
      t.cleanup();
    },
  };
}

/** A raw TCP connection that records what the door sent and whether it closed the connection. */
export interface RawConnection {
  readonly socket: Socket;
  received(): string;
  readonly closed: Promise<void>;
}

/** Opens a raw TCP connection to the door (for requests and frames no well-behaved client sends). */
export async function rawConnection(port: number, host = "127.0.0.1", allowHalfOpen = false): Promise<RawConnection> {
  const socket = connect({ port, host, allowHalfOpen });
  let text = "";
  socket.on("data", (d: Buffer) => {
    text += d.toString("latin1");
  });
  // The door may reset a connection it refuses; that is an answer here, not a test failure.
  socket.on("error", () => undefined);
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  return { socket, received: () => text, closed };
}

/** Calls app.status through the door (as a page of `origin` when given): the proof it still serves. */
export async function doorStatus(base: string, token = TEST_TOKEN, origin?: string): Promise<number> {
  const res = await fetch(`${base}/api/call`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${token}`,
      ...(origin === undefined ? {} : { Origin: origin }),
    },
    body: JSON.stringify({ method: "app.status", input: {} }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** One WebSocket frame as a client could write it, masked or not, with any opcode and any announced length. */
export function frame(
  opcode: number,
  payload: Buffer,
  options: { mask?: boolean; fin?: boolean; length?: number } = {},
): Buffer {
  const { mask = true, fin = true, length = payload.length } = options;
  const head = [(fin ? 0x80 : 0) | opcode];
  const maskBit = mask ? 0x80 : 0;
  let size: Buffer;
  if (length < 126) size = Buffer.from([maskBit | length]);
  else if (length < 65536) size = Buffer.from([maskBit | 126, length >> 8, length & 0xff]);
  else {
    size = Buffer.alloc(9);
    size[0] = maskBit | 127;
    size.writeBigUInt64BE(BigInt(length), 1);
  }
  const key = Buffer.from([1, 2, 3, 4]);
  const body = mask ? Buffer.from(payload.map((b, i) => b ^ (key[i % 4] ?? 0))) : payload;
  return Buffer.concat([Buffer.from(head), size, mask ? key : Buffer.alloc(0), body]);
}

/** The HTTP request that asks the door to open its event stream, as a browser on `origin` would send it. */
export function upgradeRequest(host: string, origin: string, token: string): string {
  return [
    `GET /api/events?token=${token} HTTP/1.1`,
    `Host: ${host}`,
    `Origin: ${origin}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version: 13",
    "",
    "",
  ].join("\r\n");
}
