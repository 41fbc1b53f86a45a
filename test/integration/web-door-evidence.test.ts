import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../electron/core/core";
import type { WebServer } from "../../electron/web/server";
import { startWebServer } from "../../electron/web/server";
import { BOUNDS } from "../../shared/contract/bounds";
import type { ChangeDetail } from "../../shared/contract/index";
import { tempCore } from "../helpers/temp";
import { TEST_TOKEN } from "../helpers/web-door";
import { actAs } from "./approvals/support";
import { call, contentHash, newChange } from "./register/register-fixtures";

let server: WebServer;
let core: Core;
let cleanup: () => void;
let change: ChangeDetail;

beforeAll(async () => {
  const t = await tempCore();
  ({ core, cleanup } = t);
  const staticDir = join(t.dir, "static");
  mkdirSync(staticDir);
  server = await startWebServer({ core, staticDir, token: TEST_TOKEN });
  change = await call<ChangeDetail>(core, "change.create", newChange());
  // A page writes only as a proved key holder: the change's implementer attaches its evidence.
  await actAs(core, "tom.fischer@plant.example");
});
afterAll(async () => {
  await server.close();
  cleanup();
});

/** Attaches `bytes` bytes of evidence through the browser door, as the page does (base64 in a JSON body). */
async function attachThroughDoor(bytes: number): Promise<{ status: number; body: unknown }> {
  const contentBase64 = Buffer.alloc(bytes, 0x41).toString("base64");
  const res = await fetch(`http://127.0.0.1:${server.port}/api/call`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${TEST_TOKEN}` },
    body: JSON.stringify({
      method: "evidence.attach",
      input: { changeId: change.id, filename: "mrp-run-log.txt", mediaType: "text/plain", contentBase64 },
    }),
  });
  return { status: res.status, body: await res.json() };
}

describe("evidence size through the browser door", () => {
  it("accepts evidence at the contract's bound: the door's body cap fits it", async () => {
    const { status, body } = await attachThroughDoor(BOUNDS.evidenceBytes);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, value: { size: BOUNDS.evidenceBytes, deduplicated: false } });
  });

  it("refuses one byte more with the contract's words, and stores nothing", async () => {
    const before = contentHash(core.services.register.db);
    const { status, body } = await attachThroughDoor(BOUNDS.evidenceBytes + 1);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ok: false,
      error: {
        code: "invalid-input",
        message: expect.stringMatching(/Content base64: the file is larger than 3 MB; attach a smaller file/),
      },
    });
    expect(contentHash(core.services.register.db)).toBe(before);
  });
});
