import { afterEach, describe, expect, it } from "vitest";
import type { AuditEvent, ChangeDetail, ListPage } from "../../../shared/contract/index";
import { tempCore } from "../../helpers/temp";
import { call, newChange } from "./register-fixtures";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function actorsOf(core: Awaited<ReturnType<typeof tempCore>>["core"], id: string): Promise<string[]> {
  const page = await call<ListPage<AuditEvent>>(core, "audit.list", { entity: "change", entityId: id });
  return page.items.map((e) => e.actor);
}

describe("who the register records as acting", () => {
  it("ignores a name sent through the browser or window door and records the selected key's holder", async () => {
    const t = await tempCore({ demo: false });
    cleanups.push(t.cleanup);
    const keys = await call<{ email: string; keyFile: string }[]>(t.core, "identity.demoKeys", {});
    const ana = keys.find((k) => k.email === "ana.ortiz@plant.example");
    expect(ana).toBeDefined();
    // Before any key is chosen, a page's claim still does not count: nobody is proved, so the page may only read.
    const before = await t.core.call("change.create", newChange({ actor: "olivia.brown@plant.example" }), "web");
    expect(before).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await call<ListPage<AuditEvent>>(t.core, "audit.list", { entity: "change" })).toMatchObject({ total: 0 });

    await call(t.core, "identity.use", { keyFile: ana?.keyFile ?? "" }, "web");
    const after = await call<ChangeDetail>(
      t.core,
      "change.create",
      newChange({ actor: "olivia.brown@plant.example" }),
      "ipc",
    );
    expect(await actorsOf(t.core, after.id)).toEqual(["ana.ortiz@plant.example"]);
  });

  it("lets scripts and in-process callers name the actor", async () => {
    const t = await tempCore({ demo: false });
    cleanups.push(t.cleanup);
    const made = await call<ChangeDetail>(
      t.core,
      "change.create",
      newChange({ actor: "tom.fischer@plant.example" }),
      "cli",
    );
    expect(await actorsOf(t.core, made.id)).toEqual(["tom.fischer@plant.example"]);
  });
});
