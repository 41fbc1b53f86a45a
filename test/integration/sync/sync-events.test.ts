import { describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { demoLaptopsEachTest } from "../../helpers/laptops";
import { call, changeAwaitingApproval } from "../approvals/support";

// A sync runs by itself on every focus, on a timer and after every push. What it tells the screens to read again
// must be what it moved: a sync that only heard the remote names itself ("sync": its status reads), while one that
// brought commits in or sent them out names the ledger ("gitops": everything). Before, every sync named the ledger,
// so each refreshed every screen and restarted every read under way (a slow cluster page never showed).
const open = demoLaptopsEachTest();

async function syncEntities(core: Core): Promise<string[]> {
  const result = await core.call("gitops.sync", {});
  if (!result.ok) throw new Error(result.error.message);
  return (result.events ?? [])
    .filter((e) => e.event === "register.changed")
    .map((e) => (e.payload as { entity: string }).entity);
}

describe("what a sync tells the screens", () => {
  it("names only itself when nothing came in or went out, and the ledger when commits did", async () => {
    const world = await open(2);
    const [a, b] = world.cores as [Core, Core];
    expect(await syncEntities(b)).toEqual(["sync"]);

    // Laptop a sends a change: its own sync sends nothing more (the submission pushed it), b's brings it in.
    await world.holdKey(a, "lena.weber@plant.example");
    const id = await changeAwaitingApproval(a);
    await call(a, "gitops.submit", { changeId: id });
    const incoming = await syncEntities(b);
    expect(incoming).toContain("gitops");
    expect(incoming).not.toContain("sync");
    // Heard again with nothing new: quiet again.
    expect(await syncEntities(b)).toEqual(["sync"]);
  });
});
