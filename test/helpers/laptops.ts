import { join } from "node:path";
import type { Core, CoreOptions } from "../../electron/core/core";
import { startGitops } from "../../electron/core/gitops/first-run";
import { isolatedGitContext } from "../../electron/core/gitops/git";
import { dataPaths } from "../../electron/core/paths";
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
