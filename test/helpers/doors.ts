import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import type { Core, CoreOptions } from "../../electron/core/core";
import type { SenderInfo } from "../../electron/shell/guards";
import { answerIpcCall } from "../../electron/shell/ipc-call";
import { startWebServer } from "../../electron/web/server";
import type { CallResult } from "../../shared/contract/index";
import { contentHash } from "../integration/register/register-fixtures";
import { tempCore } from "./temp";
import { TEST_TOKEN } from "./web-door";

// The bypass matrix's doors: the same core reached as the desktop window (the IPC handler's own decision, without
// Electron) and as a browser page (a real loopback HTTP request with the run's token and the page's Origin).

/** One way in: calls a contract method the way that door's page would. */
export type DoorCall = (method: string, input: unknown) => Promise<CallResult>;

/** The desktop window and browser doors over one core; close() stops the browser door. */
export interface Doors {
  readonly ipc: DoorCall;
  readonly web: DoorCall;
  close(): Promise<void>;
}

const APP_WINDOW = 1;
const APP_FRAME: SenderInfo = { webContentsId: APP_WINDOW, frameUrl: "app://shiftgate/index.html", isMainFrame: true };

/** Opens both page doors on a core whose data folder is `dir`. */
export async function openDoors(core: Core, dir: string): Promise<Doors> {
  const staticDir = join(dir, "door-static");
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, "index.html"), "<!doctype html><title>Shiftgate</title>");
  const server = await startWebServer({ core, staticDir, token: TEST_TOKEN, port: 0 });
  const base = `http://127.0.0.1:${server.port}`;
  return {
    ipc: (method, input) => answerIpcCall(core, APP_FRAME, new Set([APP_WINDOW]), method, input),
    web: async (method, input) => {
      const res = await fetch(`${base}/api/call`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${TEST_TOKEN}`, Origin: base },
        body: JSON.stringify({ method, input }),
      });
      return (await res.json()) as CallResult;
    },
    close: () => server.close(),
  };
}

/** A temp core and both page doors over it. */
export interface DoorsOnCore {
  readonly core: Core;
  /** The core's data folder. */
  readonly dir: string;
  readonly doors: Doors;
}

/**
 * Registers the hooks of a file's bypass tests: before them a temp core with `options`, `prepare` run on it (e.g. the
 * demo GitOps repository), both doors opened over it and handed to `ready`; after them the doors close and the core
 * is removed.
 */
export function doorsForFile(
  options: Partial<CoreOptions>,
  ready: (live: DoorsOnCore) => void | Promise<void>,
  more: { readonly prepare?: (core: Core) => Promise<unknown>; readonly timeout?: number } = {},
): void {
  let live: (DoorsOnCore & { readonly cleanup: () => void }) | null = null;
  beforeAll(async () => {
    const t = await tempCore(options);
    await more.prepare?.(t.core);
    live = { core: t.core, dir: t.dir, cleanup: t.cleanup, doors: await openDoors(t.core, t.dir) };
    await ready(live);
  }, more.timeout);
  afterAll(async () => {
    const done = live;
    live = null;
    await done?.doors.close();
    done?.cleanup();
  });
}

/**
 * Sends the same call through every page door and expects each to refuse it with `code` (and a message matching
 * `message` when given), with the register's every table and its audit chain unchanged afterwards.
 */
export async function refusedAtEveryDoor(
  core: Core,
  doors: Doors,
  method: string,
  input: unknown,
  expected: {
    readonly code: string;
    readonly message?: RegExp;
    /** A refusal the core audits (a signing attempt): one row of this action per door is the only change. */
    readonly audited?: string;
  },
): Promise<void> {
  const db = core.services.register.db;
  const except = expected.audited ? ["audit"] : [];
  const before = contentHash(db, except);
  const lastSeq = () => (db.prepare("SELECT coalesce(max(seq), 0) FROM audit").pluck().get() as number) ?? 0;
  const seqBefore = lastSeq();
  for (const [name, call] of [
    ["direct", (m: string, i: unknown) => core.call(m, i)],
    ["ipc", doors.ipc],
    ["web", doors.web],
  ] as const) {
    const result = await call(method, input);
    expect(result.ok, `${method} through ${name} should be refused`).toBe(false);
    if (result.ok) continue;
    expect(result.error.code, `${method} through ${name}: ${result.error.message}`).toBe(expected.code);
    if (expected.message) expect(result.error.message, `${method} through ${name}`).toMatch(expected.message);
  }
  expect(contentHash(db, except), `${method} changed the register`).toBe(before);
  if (expected.audited) {
    const added = db.prepare("SELECT action FROM audit WHERE seq > ?").pluck().all(seqBefore);
    expect(added, `${method}: only its refusal is audited`).toEqual([
      expected.audited,
      expected.audited,
      expected.audited,
    ]);
  }
  const chain = await core.call("audit.verify", {});
  expect(chain).toMatchObject({ ok: true, value: { ok: true } });
}
