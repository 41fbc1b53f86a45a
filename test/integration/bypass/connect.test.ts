import { existsSync, readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../electron/core/clock";
import { createCore } from "../../../electron/core/core";
import { applyPendingConnection, pendingConnection } from "../../../electron/core/gitops/connect";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { dataPaths } from "../../../electron/core/paths";
import type { GitopsConnectResult } from "../../../shared/contract/methods/gitops";
import { openDoors, refusedAtEveryDoor } from "../../helpers/doors";
import { tempCore } from "../../helpers/temp";
import { call, who } from "../approvals/support";
import { contentHash } from "../register/register-fixtures";

// gitops.connect from the app's pages: looking changes nothing; a refusal is the same at every door with the
// register, its audit chain and the data folder unchanged; a confirmed repository takes over at the next start.
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function laptop() {
  const t = await tempCore({ clock: systemClock });
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  const doors = await openDoors(t.core, t.dir);
  cleanups.push(() => doors.close());
  return { ...t, doors };
}

async function plantRemote(): Promise<string> {
  const p = await tempCore({ clock: systemClock });
  cleanups.push(p.cleanup);
  await startGitops(p.core.services);
  return dataPaths(p.dir).gitopsDemoRemote;
}

const folder = (dir: string) => readdirSync(dir).sort();

describe("gitops.connect through the pages", () => {
  it("a trust root other than the repository's is refused at every door; nothing is staged", async () => {
    const { core, dir, doors } = await laptop();
    const url = `file://${await plantRemote()}`;
    await call(core, "identity.use", { keyFile: join(dataPaths(dir).keys, `${who("lena").email}.key`) });
    const before = folder(dir);
    await refusedAtEveryDoor(
      core,
      doors,
      "gitops.connect",
      { url, trustRoot: "a".repeat(40) },
      {
        code: "conflict",
        message: /not the aaaaaaaaaaaa you confirmed/,
      },
    );
    await refusedAtEveryDoor(
      core,
      doors,
      "gitops.connect",
      { url, branch: "nope" },
      {
        code: "not-found",
        message: /has no branch 'nope'/,
      },
    );
    expect(folder(dir)).toEqual(before);
  });

  it("a page without a proved key may look but not join; nothing changes", async () => {
    const { core, dir, doors } = await laptop();
    const url = `file://${await plantRemote()}`;
    const look = await call(core, "gitops.connect", { url });
    const before = folder(dir);
    const hash = contentHash(core.services.register.db, []);
    for (const door of [doors.ipc, doors.web]) {
      expect((await door("gitops.connect", { url })).ok).toBe(true);
      const joined = await door("gitops.connect", { url, trustRoot: look.probe.trustRoot });
      expect(joined).toMatchObject({ ok: false, error: { code: "forbidden", details: { reason: "no-proved-key" } } });
      if (!joined.ok) expect(joined.error.message).toMatch(/without a proved key this window may only look/);
    }
    expect(folder(dir)).toEqual(before);
    expect(contentHash(core.services.register.db, [])).toBe(hash);
    // With Lena's key proved, the window may join.
    await call(core, "identity.use", { keyFile: join(dataPaths(dir).keys, `${who("lena").email}.key`) });
    expect(await doors.ipc("gitops.connect", { url, trustRoot: look.probe.trustRoot })).toMatchObject({
      ok: true,
      value: { status: "restart" },
    });
  });

  it("commits not yet pushed to the current remote are refused at every door before anything is cloned", async () => {
    const { core, dir, doors } = await laptop();
    const url = `file://${await plantRemote()}`;
    // The demo remote is away: a submitted change waits in the outbox.
    const remote = dataPaths(dir).gitopsDemoRemote;
    renameSync(remote, `${remote}.away`);
    await call(core, "identity.use", { keyFile: join(dataPaths(dir).keys, `${who("lena").email}.key`) });
    const created = await call(core, "change.create", {
      title: "Relabel Berlin pick routes",
      type: "normal",
      area: "warehouse",
      plants: ["berlin"],
      environment: "qa",
      requester: who("lena"),
      window: { start: "2027-01-12T21:00:00Z", end: "2027-01-12T23:00:00Z" },
      dbMigration: false,
    });
    await call(core, "change.transition", { id: created.id, to: "submitted" });
    expect(await call(core, "gitops.submit", { changeId: created.id })).toMatchObject({ pushed: false });
    const look = await call(core, "gitops.connect", { url });
    const before = folder(dir);
    await refusedAtEveryDoor(
      core,
      doors,
      "gitops.connect",
      { url, trustRoot: look.probe.trustRoot },
      {
        code: "conflict",
        message: /have not reached the current GitOps remote yet/,
      },
    );
    expect(folder(dir)).toEqual(before);
  });

  it("looks, then stages the confirmed repository; the next start archives the old register and opens the new one", async () => {
    const { core, dir } = await laptop();
    const remote = await plantRemote();
    const before = folder(dir);
    const look = (await call(core, "gitops.connect", { url: `file://${remote}` })) as GitopsConnectResult;
    expect(look).toMatchObject({ status: "confirm", probe: { url: `file://${remote}`, branch: "main" } });
    expect(look.probe.trustRoot).toMatch(/^[0-9a-f]{40}$/);
    expect(folder(dir)).toEqual(before);
    const audited = () => core.services.register.db.prepare("SELECT action FROM audit").pluck().all();
    const confirmed = await call(core, "gitops.connect", { url: `file://${remote}`, trustRoot: look.probe.trustRoot });
    expect(confirmed.status).toBe("restart");
    expect(audited()).toContain("gitops.connect");
    expect(existsSync(join(pendingConnection(dir), "work", ".shiftgate", "policy.yaml"))).toBe(true);
    core.close();

    const archived = await applyPendingConnection(dir, systemClock);
    expect(archived && existsSync(join(archived, "register.sqlite"))).toBe(true);
    expect(existsSync(pendingConnection(dir))).toBe(false);
    const next = await createCore({ dataDir: dir, appVersion: "0.0.0-test", clock: systemClock });
    cleanups.push(() => next.close());
    // A fresh register: no demo rows of its own; the plant's changes come in with the first sync.
    const count = () => next.services.register.db.prepare("SELECT count(*) FROM changes").pluck().get() as number;
    expect(count()).toBe(0);
    const synced = await call(next, "gitops.sync", {});
    expect(synced.imported.length).toBeGreaterThan(0);
    expect(count()).toBe(synced.imported.length);
    const status = await call(next, "app.status", {});
    expect(status.gitops.remote).toContain(remote);
  });
});
