import { join } from "node:path";
import { afterEach } from "vitest";
import type { Core, CoreOptions } from "../../electron/core/core";
import { startGitops } from "../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../electron/core/gitops/git";
import { dataPaths } from "../../electron/core/paths";
import { call, changeAwaitingApproval, who } from "../integration/approvals/support";
import { assessDeclared, CHANGE_MANAGER } from "../integration/register/register-fixtures";
import { setupGitopsRepo } from "./ledger-writes";
import { tempCore } from "./temp";

/** Laptops over one remote: the first holds the first-run demo (its bare remote and every demo person's key). */
export interface Laptops {
  readonly cores: readonly Core[];
  /** The bare remote every laptop pushes to. */
  readonly remote: string;
  /** Selects a demo person's key on a laptop (the keys live in the first laptop's data folder). */
  holdKey(core: Core, email: string): Promise<unknown>;
  cleanup(): void;
}

/** `count` laptops: the first runs the demo, the others clone its remote and sync once (no demo register of their own). */
export async function demoLaptops(count: number, options: Partial<CoreOptions> = {}): Promise<Laptops> {
  const ctx = isolatedGitContext();
  const cleanups: (() => void)[] = [];
  const first = await tempCore(options);
  cleanups.push(first.cleanup);
  await startGitops(first.core.services);
  const remote = dataPaths(first.dir).gitopsDemoRemote;
  const cores = [first.core];
  for (let i = 1; i < count; i++) {
    const other = await tempCore({ ...options, demo: false });
    cleanups.push(other.cleanup);
    await setupGitopsRepo({ source: remote, dir: dataPaths(other.dir).gitopsWorkingCopy, ctx });
    const synced = await other.core.call("gitops.sync", {});
    if (!synced.ok) throw new Error(synced.error.message);
    cores.push(other.core);
  }
  return {
    cores,
    remote,
    holdKey: async (core, email) => {
      const result = await core.call("identity.use", { keyFile: join(dataPaths(first.dir).keys, `${email}.key`) });
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    },
    cleanup: () => {
      for (const c of cleanups.splice(0).reverse()) c();
    },
  };
}

/**
 * Laptops for the tests of one file: `open(count)` makes them (as `demoLaptops`), and they are removed after the test
 * that opened them.
 */
export function demoLaptopsEachTest(): (count: number, options?: Partial<CoreOptions>) => Promise<Laptops> {
  let world: Laptops | null = null;
  afterEach(() => {
    world?.cleanup();
    world = null;
  });
  return async (count, options) => {
    world = await demoLaptops(count, options);
    return world;
  };
}

/** A change of `requester`'s awaiting approval, sent from laptop `a` and synced on `b`: its number and id on each. */
export async function sentAndSynced(world: Laptops, requester: string) {
  const [a, b] = world.cores as [Core, Core];
  await world.holdKey(a, requester);
  const id = await changeAwaitingApproval(a);
  const { number } = await call(a, "gitops.submit", { changeId: id });
  await call(b, "gitops.sync", {});
  const onB = (await call(b, "change.list", { pageSize: 200 })).items.find((c) => c.number === number)?.id ?? "";
  return { a, b, id, number, onB };
}

/** The declared risk answers a reworked change is assessed with again. */
export const REWORK_RISK = {
  "production-hours": false,
  "tested-preproduction": true,
  "rollback-rehearsed": false,
  integrations: ["mes", "wms"],
  "close-period": false,
};

/**
 * The requester withdraws the change, retitles it, has the change-manager assess it again and, with `ask`, asks for
 * approval again (nothing is sent).
 */
export async function rework(core: Core, requester: string, id: string, title: string, ask: boolean): Promise<void> {
  await call(core, "change.transition", { id, to: "draft", reason: "Rework", actor: requester });
  await call(core, "change.update", { id, patch: { title }, reason: "Rework", actor: requester });
  await call(core, "change.transition", { id, to: "submitted", actor: requester });
  await assessDeclared(core, id, REWORK_RISK, { actor: CHANGE_MANAGER });
  await call(core, "change.transition", { id, to: "assessed", actor: CHANGE_MANAGER });
  if (ask) await call(core, "change.transition", { id, to: "awaiting-approval", actor: requester });
}

/** Every change.yaml on the remote's main branch with everyone who ever wrote it (the whole history). */
export async function changeWriters(remote: string): Promise<Map<string, Set<string>>> {
  const log = await git(isolatedGitContext(), remote, [
    "log",
    "--format=@%ce",
    "--name-only",
    "main",
    "--",
    "changes/*/change.yaml",
  ]);
  const writers = new Map<string, Set<string>>();
  let committer = "";
  for (const line of log.stdout.split("\n")) {
    if (line.startsWith("@")) committer = line.slice(1);
    else if (line) writers.set(line, (writers.get(line) ?? new Set()).add(committer));
  }
  return writers;
}

/** A change just submitted in the register: no risk assessment, no implementer. */
export async function justSubmitted(core: Core, requester: string, title: string): Promise<string> {
  const person = who(requester);
  const created = await call(core, "change.create", {
    title,
    type: "normal",
    area: "warehouse",
    plants: ["berlin"],
    environment: "qa",
    requester: person,
    window: { start: "2026-12-09T21:00:00Z", end: "2026-12-09T23:00:00Z" },
    dbMigration: false,
  });
  await call(core, "change.transition", { id: created.id, to: "submitted" });
  return created.id;
}
