import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import type { SenderInfo } from "../../../electron/shell/guards";
import { answerIpcCall } from "../../../electron/shell/ipc-call";
import type { CallResult } from "../../../shared/contract/index";
import { tempCore } from "../../helpers/temp";
import { actAs } from "../approvals/support";
import { contentHash, newChange } from "../register/register-fixtures";

// The Electron door without Electron: the same function the IPC handler calls, on a real register file.
const APP = 7;
const app: SenderInfo = { webContentsId: APP, frameUrl: "app://shiftgate/index.html#/register", isMainFrame: true };
const ids = new Set([APP]);
const LENA = "lena.weber@plant.example";

describe("IPC door: sender check, then the contract", () => {
  let core: Core;
  let cleanup: () => void;
  beforeEach(async () => {
    ({ core, cleanup } = await tempCore());
  });
  afterEach(() => cleanup());

  const hash = () => contentHash(core.services.register.db);
  const errorOf = (r: CallResult) => (r.ok ? null : r.error.code);

  it("answers the app's own window", async () => {
    // A window writes only as a proved key holder (issue #13); reading needs none.
    await actAs(core, LENA);
    const r = await answerIpcCall(core, app, ids, "change.create", newChange());
    expect(r.ok).toBe(true);
  });

  it("refuses other windows, iframes, pages that navigated away and gone frames, and writes nothing", async () => {
    const before = hash();
    const senders: SenderInfo[] = [
      { ...app, webContentsId: 8 },
      { ...app, isMainFrame: false },
      { ...app, frameUrl: "https://evil.example/" },
      { ...app, frameUrl: "app://shiftgate.evil.example/index.html" },
      { ...app, frameUrl: "file:///tmp/index.html" },
      { ...app, frameUrl: null },
    ];
    for (const sender of senders) {
      const r = await answerIpcCall(core, sender, ids, "change.create", newChange());
      expect(errorOf(r), JSON.stringify(sender)).toBe("forbidden");
    }
    expect(hash()).toBe(before);
  });

  it("answers a method name that is not a string or not a method with unknown-method, never a throw", async () => {
    for (const method of [
      undefined,
      null,
      42,
      { toString: "change.create" },
      ["change.create"],
      "__proto__",
      "constructor",
      "toString",
      "change.create\u0000",
    ]) {
      const r = await answerIpcCall(core, app, ids, method, newChange());
      expect(errorOf(r), JSON.stringify(method) ?? "undefined").toBe("unknown-method");
    }
  });

  it("refuses every value structured clone can carry that the contract does not allow, and writes nothing", async () => {
    const before = hash();
    const deep: unknown[] = [];
    let cursor = deep;
    for (let i = 0; i < 10_000; i++) {
      const next: unknown[] = [];
      cursor.push(next);
      cursor = next;
    }
    const inputs: unknown[] = [
      undefined,
      null,
      "change",
      new Map([["title", "x"]]),
      new Set(["berlin"]),
      newChange({ window: { start: new Date("2026-12-05T21:00:00Z"), end: new Date("2026-12-06T01:00:00Z") } }),
      newChange({ plants: new Set(["berlin"]) }),
      newChange({ title: 12n }),
      newChange({ title: new Uint8Array([65, 66]) }),
      newChange({ title: "x".repeat(5_000_000) }),
      newChange({ plants: deep }),
      newChange({ admin: true }),
      { ...newChange(), ...JSON.parse('{"__proto__": {"polluted": true}}') },
    ];
    for (const input of inputs) {
      const r = await answerIpcCall(core, app, ids, "change.create", input);
      expect(errorOf(r)).toBe("invalid-input");
    }
    expect(hash()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("ignores an actor named by the page: the window acts as the selected key's holder", async () => {
    await actAs(core, LENA);
    const r = await answerIpcCall(core, app, ids, "change.create", {
      ...newChange(),
      actor: "someone.else@plant.example",
    });
    expect(r.ok).toBe(true);
    const actor = core.services.register.db
      .prepare("SELECT actor FROM audit ORDER BY seq DESC LIMIT 1")
      .pluck()
      .get() as string;
    expect(actor).toBe(LENA);
  });
});
