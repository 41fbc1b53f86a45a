import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import WebSocket from "ws";
import { serveOn } from "../../e2e/web-process";
import { runCliCaptured } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";
import { doorStatus, frame, rawConnection, upgradeRequest } from "../../helpers/web-door";

const STRONG = "Strong_token-0123456789abcdefghijklmnopqrstuvwxyz";

/** A data folder path that does not exist yet, inside a temporary folder removed when the test ends. */
function unusedDataDir(): string {
  const { dir, cleanup } = tempDir();
  onTestFinished(cleanup);
  return join(dir, "data");
}

/** Runs `shiftgate web` in-process with only the given environment, expecting a refusal before anything starts. */
async function refusedWeb(args: readonly string[], env: Record<string, string> = {}) {
  const dataDir = unusedDataDir();
  const result = await runCliCaptured(["web", "--port", "0", "--data-dir", dataDir, ...args], {
    env: { PATH: process.env.PATH, ...env },
  });
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  // Refused before the core opened: no data folder, so no register and no GitOps repository either.
  expect(existsSync(dataDir)).toBe(false);
  return result.stderr;
}

// A refusal that is not made would start the door and wait for Ctrl+C: these guards turn that into a failure.
const GUARD_MS = 20_000;

describe("shiftgate web refuses an unsafe token before it starts", () => {
  it(
    "refuses --token on the command line and says how to give it",
    async () => {
      const message = await refusedWeb(["--token", STRONG]);
      expect(message).toContain("process list");
      expect(message).toContain("SHIFTGATE_WEB_TOKEN");
      expect(message).toContain("--token-file");
    },
    GUARD_MS,
  );

  it(
    "refuses a short or badly formed token in SHIFTGATE_WEB_TOKEN",
    async () => {
      for (const weak of ["x", "a".repeat(31), `${"a".repeat(31)} `, `${"a".repeat(32)}$`, "a".repeat(513)]) {
        const message = await refusedWeb([], { SHIFTGATE_WEB_TOKEN: weak });
        expect(message, weak).toContain("SHIFTGATE_WEB_TOKEN");
        expect(message, weak).toMatch(/at least 32|longer than 512|only letters/);
      }
    },
    GUARD_MS,
  );

  it(
    "refuses a weak, missing or oversized --token-file, and a token given two ways",
    async () => {
      const { dir, cleanup } = tempDir();
      onTestFinished(cleanup);
      const weak = join(dir, "weak");
      writeFileSync(weak, "short\n");
      expect(await refusedWeb(["--token-file", weak])).toContain("at least 32");
      expect(await refusedWeb(["--token-file", join(dir, "missing")])).toContain("cannot read");
      const big = join(dir, "big");
      writeFileSync(big, "a".repeat(10_000));
      expect(await refusedWeb(["--token-file", big])).toContain("larger than a token");
      const good = join(dir, "good");
      writeFileSync(good, STRONG);
      expect(await refusedWeb(["--token-file", good], { SHIFTGATE_WEB_TOKEN: STRONG })).toContain("one way");
    },
    GUARD_MS,
  );
});

describe("shiftgate web listens only on loopback", () => {
  it(
    "refuses every other host before creating a data folder",
    async () => {
      for (const host of ["0.0.0.0", "::", "[::]", "192.168.10.20", "plant-server.example", "127.0.0.2"]) {
        const message = await refusedWeb(["--host", host], { SHIFTGATE_WEB_TOKEN: STRONG });
        expect(message, host).toContain(`--host ${host} is not loopback`);
      }
    },
    GUARD_MS,
  );

  it("says so when the port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as AddressInfo).port;
    const { dir, cleanup } = tempDir();
    onTestFinished(cleanup);
    const result = await runCliCaptured(["web", "--port", String(port), "--data-dir", dir], {
      env: { PATH: process.env.PATH },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
  }, 60_000);

  it("serves on ::1 end to end with a token file, keeps the token off the process list, and survives a bad frame", async () => {
    const { dir, cleanup } = tempDir();
    onTestFinished(cleanup);
    const door = await serveOn(join(dir, "data"), {}, { args: ["--host", "::1"], tokenFile: join(dir, "token") });
    onTestFinished(() => door.stop());
    expect(door.origin).toMatch(/^http:\/\/\[::1\]:\d+$/);
    const port = Number(new URL(door.origin).port);
    // What `ps` shows: the arguments, without the token.
    expect(readFileSync(`/proc/${door.pid}/cmdline`, "utf8")).not.toContain(door.token);
    expect(await doorStatus(door.origin, door.token, door.origin)).toBe(200);
    expect(await doorStatus(door.origin, door.token, "http://evil.example")).toBe(403);
    const events = new WebSocket(`ws://[::1]:${port}/api/events?token=${door.token}`, { origin: door.origin });
    await new Promise((resolve, reject) => {
      events.once("open", resolve);
      events.once("error", reject);
    });
    events.close();
    const conn = await rawConnection(port, "::1");
    conn.socket.write(upgradeRequest(`[::1]:${port}`, door.origin, door.token));
    await expect.poll(() => conn.received()).toMatch(/^HTTP\/1\.1 101/);
    conn.socket.write(frame(0x1, Buffer.from("test"), { mask: false }));
    await conn.closed;
    expect(await doorStatus(door.origin, door.token, door.origin)).toBe(200);
  }, 90_000);
});
