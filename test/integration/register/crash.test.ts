import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultMigrationsDir } from "../../../electron/core/core";
import { runCliCaptured } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 20);
const source = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));
let dir: string;
let writer: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  // One bundle, started twenty times: transpiling the sources on every start would dominate the test.
  writer = join(dir, "crash-writer.mjs");
  await build({
    entryPoints: [source],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Bundled CommonJS packages (yaml, through the register's policy.yaml roles) require Node built-ins, which an
    // ES module can only do through a require of its own.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    // The bundle lives in a temp folder: point the native module at this checkout's copy.
    plugins: [
      {
        name: "native-from-checkout",
        setup(b) {
          b.onResolve({ filter: /^better-sqlite3$/ }, () => ({
            path: createRequire(import.meta.url).resolve("better-sqlite3"),
            external: true,
          }));
        },
      },
    ],
    outfile: writer,
    logLevel: "silent",
  });
});
const live = new Set<ChildProcess>();
afterAll(() => {
  // A timed-out test must not leave a writer running.
  for (const child of live) child.kill("SIGKILL");
  cleanup();
});

/** Runs the writer until it has acknowledged some writes, kills it with SIGKILL after a random pause. */
function runAndKill(file: string, pauseMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [writer, file, defaultMigrationsDir()], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    live.add(child);
    let out = "";
    let err = "";
    let timer: NodeJS.Timeout | undefined;
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (timer === undefined && out.includes("ready\n")) {
        timer = setTimeout(() => child.kill("SIGKILL"), pauseMs);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (_code, signal) => {
      live.delete(child);
      if (signal !== "SIGKILL") return reject(new Error(`writer stopped by itself: ${err}`));
      // Only whole lines count: a line cut by the kill was never acknowledged.
      const lines = out.split("\n").slice(0, -1);
      resolve(lines.filter((l) => l.startsWith("ack ")).map((l) => l.slice(4)));
    });
  });
}

describe("crash safety", () => {
  it("survives 20 SIGKILLs mid-write: integrity ok, chain verifies, every acknowledged write is there", async () => {
    const file = join(dir, "crash.sqlite");
    const acknowledged: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const acks = await runAndKill(file, 30 + Math.floor(Math.random() * 400));
      acknowledged.push(...acks);
      const db = new Database(file);
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const present = new Set(db.prepare("SELECT id FROM changes").pluck().all() as string[]);
      const missing = acknowledged.filter((id) => !present.has(id));
      expect(missing, `round ${round}`).toEqual([]);
      db.close();
      const verify = await runCliCaptured(["audit", "verify", "--db", file, "--json"]);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, firstBadSeq: null });
    }
    expect(acknowledged.length).toBeGreaterThan(20);
  });
});
