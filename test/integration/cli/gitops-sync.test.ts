import { renameSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { dataPaths } from "../../../electron/core/paths";
import { runCliCaptured } from "../../helpers/cli";
import { tempCore } from "../../helpers/temp";

// `shiftgate gitops sync`: the app's sync from the command line, progress on stderr and the status summary after.

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

describe("shiftgate gitops sync", () => {
  it("prints progress on stderr and when the remote was last heard and what waits; offline it says why and exits 1", async () => {
    const t = await tempCore({});
    cleanups.push(t.cleanup);
    await startGitops(t.core.services);
    t.core.close();

    const ok = await runCliCaptured(["gitops", "sync", "--data-dir", t.dir]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain("sync: fetching from the remote…");
    expect(ok.stderr).toContain("sync: reading what came in…");
    expect(ok.stdout).toMatch(/^Last heard from the remote: \d{4}-\d\d-\d\dT[\d:.]+Z \(just now\)$/m);
    expect(ok.stdout).toContain("Waiting to go out: nothing");
    expect(ok.stdout).toMatch(/^Last sync just now: pulled \d+ commit\(s\)/m);

    const remote = dataPaths(t.dir).gitopsDemoRemote;
    renameSync(remote, `${remote}.away`);
    const offline = await runCliCaptured(["gitops", "sync", "--data-dir", t.dir]);
    expect(offline.code).toBe(1);
    // What it last heard is kept from the sync before; the failure is in words, not git's own output.
    expect(offline.stdout).toMatch(/^Last heard from the remote: \d{4}-.*\(just now\)$/m);
    expect(offline.stdout).toMatch(/^Last sync failed just now: .+/m);
    expect(offline.stdout).not.toMatch(/fatal:/);
  });
});
