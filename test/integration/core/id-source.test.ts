import { describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { type IdSource, ulidSource } from "../../../electron/core/ids";
import type { ChangeDetail, ChangeSummary, Comment, ListPage } from "../../../shared/contract/index";
import { rng } from "../../helpers/fuzz";
import { tempCore } from "../../helpers/temp";
import { call, newChange } from "../register/register-fixtures";

// Every row id the core makes comes from the one id source createCore is given (like the clock): with a fixed
// clock and a seeded source, two cores make the same ids, from the demo seed to a new change and its comment.
async function idsMade(ids: IdSource): Promise<readonly string[]> {
  const { core, cleanup } = await tempCore({ clock: fixedClock("2026-12-01T08:00:00Z"), ids });
  try {
    const demo = await call<ListPage<ChangeSummary>>(core, "change.list", { pageSize: 500 });
    const created = await call<ChangeDetail>(core, "change.create", newChange());
    const comment = await call<Comment>(core, "change.comment", { id: created.id, body: "Checked with the line." });
    return [...demo.items.map((c) => c.id).sort(), created.id, comment.id];
  } finally {
    cleanup();
  }
}

describe("one id source, injected", () => {
  it("a seeded source makes the same ids in two cores on the same clock", async () => {
    const first = await idsMade(ulidSource(rng(2026)));
    const second = await idsMade(ulidSource(rng(2026)));
    expect(first.length).toBeGreaterThan(10);
    expect(second).toEqual(first);
  });

  it("the core asks the injected source for each new row id, at the core's clock", async () => {
    const inner = ulidSource(rng(7));
    const asked: { at: string; id: string }[] = [];
    const ids: IdSource = {
      next: (at) => {
        const id = inner.next(at);
        asked.push({ at: at.toISOString(), id });
        return id;
      },
    };
    const made = await idsMade(ids);
    const [created, comment] = made.slice(-2);
    expect(asked.map((a) => a.id)).toEqual(expect.arrayContaining([created, comment]));
    expect(asked.find((a) => a.id === created)?.at).toBe("2026-12-01T08:00:00.000Z");
  });
});
