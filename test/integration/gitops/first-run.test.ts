import { afterEach, describe, expect, it } from "vitest";
import { ensureDemoGitops, startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import type { AppStatus } from "../../../shared/contract/index";
import type { GitopsOutboxView } from "../../../shared/contract/methods/gitops";
import { tempCore } from "../../helpers/temp";

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

describe("first run", () => {
  it("a brand-new data folder gets the demo repository once; app.status then shows it configured", async () => {
    const t = await tempCore({});
    cleanup = t.cleanup;
    const status = async () => ((await t.core.call("app.status", {})) as { ok: true; value: AppStatus }).value;
    expect((await status()).gitops.configured).toBe(false);

    await startGitops(t.core.services);
    const head = (await git(isolatedGitContext(), t.core.services.gitopsDir ?? "", ["rev-parse", "HEAD"])).stdout;
    expect(await status()).toMatchObject({ gitops: { configured: true, branch: "main" } });
    expect((await status()).gitops.remote).toContain("remote.git");

    // A second start keeps the working copy as it is.
    expect(await ensureDemoGitops(t.dir, t.core.services.clock)).toBe(false);
    const again = (await git(isolatedGitContext(), t.core.services.gitopsDir ?? "", ["rev-parse", "HEAD"])).stdout;
    expect(again).toBe(head);
    const outbox = (await t.core.call("gitops.outbox", {})) as { ok: true; value: GitopsOutboxView };
    expect(outbox.value).toEqual({ configured: true, items: [], recent: [] });
  });
});
