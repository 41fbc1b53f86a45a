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
export async function rawConnection(port: number, host = "127.0.0.1"): Promise<RawConnection> {
  const socket = connect(port, host);
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

/** Calls app.status through the door: the proof it still serves. */
export async function doorStatus(base: string): Promise<number> {
  const res = await fetch(`${base}/api/call`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${TEST_TOKEN}` },
    body: JSON.stringify({ method: "app.status", input: {} }),
  });
  await res.arrayBuffer();
  return res.status;
}
