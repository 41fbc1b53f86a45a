import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { OdooKeyStore } from "../../../electron/core/odoo/keys";
import { dataPaths } from "../../../electron/core/paths";
import { type CoreClient, startCoreWorker } from "../../../electron/core/worker/client";
import { startWebServer, type WebServer } from "../../../electron/web/server";
import { AppError } from "../../../shared/contract/errors";
import type { CallResult, EventEnvelope } from "../../../shared/contract/index";
import { fillAuditChain } from "../../helpers/audit-rows";
import { ADMIN } from "../../helpers/gitops-world";
import { tempCore, tempDir } from "../../helpers/temp";
import { TEST_TOKEN } from "../../helpers/web-door";
import { RELEASE_MANAGER } from "../register/register-fixtures";

// Issue #20 item 9: the core runs in a worker thread behind the same contract; the door's thread only forwards
// calls (validated, errors as data) and events, so it keeps answering while the core works through a long call.

const AT = "2026-12-01T08:00:00.000Z";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function workerCore(
  dataDir: string,
  extra: { keyStore?: OdooKeyStore; background?: boolean } = {},
): Promise<CoreClient> {
  const client = await startCoreWorker({
    core: { dataDir, appVersion: "0.0.0-test", clockAt: AT, timeZone: "Europe/Berlin", background: extra.background },
    keyStore: extra.keyStore,
  });
  cleanups.push(() => client.close());
  return client;
}

async function door(client: CoreClient, dir: string): Promise<{ server: WebServer; base: string }> {
  const staticDir = join(dir, "static");
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, "index.html"), "<!doctype html><title>Shiftgate</title>");
  const server = await startWebServer({ core: client, staticDir, token: TEST_TOKEN });
  cleanups.push(() => server.close());
  return { server, base: `http://127.0.0.1:${server.port}` };
}

function post(base: string, method: string, input: unknown, token = TEST_TOKEN): Promise<Response> {
  return fetch(`${base}/api/call`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ method, input }),
  });
}

describe("the core in a worker thread", () => {
  it("answers the contract through the browser door: results, refusals as data, events, the run's token", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const client = await workerCore(dir, { background: true });
    const { base } = await door(client, dir);

    const status = (await (await post(base, "app.status", {})).json()) as CallResult;
    expect(status).toMatchObject({ ok: true, value: { version: "0.0.0-test" } });
    expect(await (await post(base, "no.such.method", {})).json()).toMatchObject({
      ok: false,
      error: { code: "unknown-method" },
    });
    expect(await (await post(base, "change.list", { limit: "many" })).json()).toMatchObject({
      ok: false,
      error: { code: "invalid-input" },
    });
    expect((await post(base, "app.status", {}, "wrong-token-0123456789abcdefghijklmnop")).status).toBe(401);

    // An event the core emits in its thread reaches the door's listeners.
    const events: EventEnvelope[] = [];
    client.onEvent((event) => events.push(event));
    const admin = await client.call("identity.use", { keyFile: join(dataPaths(dir).keys, `${ADMIN}.key`) });
    expect(admin).toMatchObject({ ok: true });
    const preset = await client.call("plant.applyPreset", {
      plant: "berlin",
      preset: "3x8-continental",
      anchor: "2026-11-30",
    });
    expect(preset).toMatchObject({ ok: true });
    expect(events).toContainEqual({ event: "register.changed", payload: expect.objectContaining({ entity: "plant" }) });
  });

  it("while the core verifies a long audit chain, the door answers its page and refuses a bad token, and the core answers another call", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // Seeded in this thread before the worker opens the same register file.
    const seeded = await tempCore({ dataDir: dir });
    fillAuditChain(seeded.core.services.register.db, 200_000, new Date(AT));
    seeded.core.close();
    const client = await workerCore(dir);
    const { base } = await door(client, dir);

    const order: string[] = [];
    const verify = post(base, "audit.verify", {}).then(async (res) => {
      order.push("verify");
      return (await res.json()) as CallResult;
    });
    // The verify has reached the core once its dispatch started; the page and a refusal come from the door alone.
    const page = await fetch(`${base}/index.html`);
    expect(page.status).toBe(200);
    order.push("page");
    expect((await post(base, "app.status", {}, "wrong-token-0123456789abcdefghijklmnop")).status).toBe(401);
    order.push("refusal");
    // The chain is checked in a process of its own, so the core's thread is free for the next call meanwhile.
    expect(await (await post(base, "app.status", {})).json()).toMatchObject({ ok: true });
    order.push("status");
    expect(await verify).toMatchObject({ ok: true, value: { ok: true, firstBadSeq: null } });
    expect(order).toEqual(["page", "refusal", "status", "verify"]);
  });

  it("keeps the desktop's Odoo key store on the door's thread: the core reaches it synchronously", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const kept = new Map<string, string>();
    const keyStore: OdooKeyStore = {
      source: "safe-storage",
      get: (environment) => kept.get(environment) ?? null,
      set: (environment, key) => {
        if (environment === "development")
          throw new AppError(
            "unavailable",
            "This computer's keychain is not available, so the Odoo key cannot be kept.",
          );
        kept.set(environment, key);
      },
      remove: (environment) => void kept.delete(environment),
    };
    const client = await workerCore(dir, { keyStore, background: true });
    const set = await client.call("odoo.connection.set", {
      environment: "qa",
      url: "http://127.0.0.1:8069",
      database: "odoo",
      login: "cab-bot",
      key: "a-key-kept-by-the-keychain-0123",
      actor: RELEASE_MANAGER,
    });
    expect(set).toMatchObject({ ok: true });
    expect(kept.get("qa")).toBe("a-key-kept-by-the-keychain-0123");
    // The keychain's refusal on this thread reaches the caller as the same error, as data.
    const refused = await client.call("odoo.connection.set", {
      environment: "development",
      url: "http://127.0.0.1:8069",
      database: "odoo",
      login: "cab-bot",
      key: "another-key-for-development-0123",
      actor: RELEASE_MANAGER,
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: "unavailable", message: expect.stringMatching(/keychain is not available/) },
    });
    expect(kept.has("development")).toBe(false);
    const listed = await client.call("odoo.connection.list", {});
    expect(JSON.stringify(listed)).toContain("safe-storage");
    expect(JSON.stringify(listed)).not.toContain("a-key-kept-by-the-keychain-0123");
  });

  it("close() stops the core and ends the worker; later calls are refused as data and closing twice is harmless", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const client = await workerCore(dir, { background: true });
    expect((await client.call("app.status", {})).ok).toBe(true);
    await client.close();
    await client.close();
    expect(await client.call("app.status", {})).toEqual({
      ok: false,
      error: { code: "unavailable", message: expect.stringMatching(/stopped.*start Shiftgate again/) },
    });
    // The register was closed by the core itself: this thread can open and write it at once.
    const after = await tempCore({ dataDir: dir });
    expect((await after.core.call("audit.verify", {})).ok).toBe(true);
    after.core.close();
  });

  it("a core that dies mid-call: the call is answered as data, a malformed answer is ignored, later calls refused", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // A stand-in core thread: ready at once, then a reply no door should accept, then it dies.
    const script = join(dir, "dying-core.mjs");
    writeFileSync(
      script,
      `import { parentPort } from "node:worker_threads";
      parentPort.postMessage({ type: "ready", registerFile: "register.sqlite" });
      parentPort.on("message", (m) => {
        if (m.type !== "call") return;
        parentPort.postMessage({ type: "result", id: m.id, result: { ok: "yes", value: "forged" } });
        process.exit(3);
      });`,
    );
    const client = await startCoreWorker({
      core: { dataDir: dir, appVersion: "0.0.0-test" },
      script: pathToFileURL(script),
    });
    cleanups.push(() => client.close());
    const refused = { ok: false, error: { code: "unavailable", message: expect.stringMatching(/stopped/) } };
    expect(await client.call("app.status", {})).toEqual(refused);
    expect(await client.call("app.status", {})).toEqual(refused);
  });

  it("a core that cannot start says why: the start is refused as an error with the core's code", async () => {
    await expect(startCoreWorker({ core: { dataDir: "", appVersion: "0.0.0-test" } })).rejects.toMatchObject({
      code: "invalid-input",
      message: expect.stringMatching(/start options are not valid/),
    });
  });
});
