import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import {
  type AuditEvent,
  CHANGE_STATUSES,
  type ChangeDetail,
  type ChangeSummary,
  type Comment,
  type EventEnvelope,
  type ListPage,
  type RiskAssessment,
} from "../../../shared/contract/index";
import { tempCore } from "../../helpers/temp";
import { call, lowRiskAnswers, newChange } from "./register-fixtures";

let core: Core;
let cleanup: () => void;
const clock = fixedClock("2026-12-01T08:00:00Z");
beforeAll(async () => {
  ({ core, cleanup } = await tempCore({ demo: false, clock }));
});
afterAll(() => cleanup());

const list = (input: Record<string, unknown>) => call<ListPage<ChangeSummary>>(core, "change.list", input);

describe("creating and editing", () => {
  it("creates a draft with defaults and one audit row naming the actor", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange({ actor: "lena.weber@plant.example" }));
    expect(c).toMatchObject({
      status: "draft",
      stage: "development",
      number: null,
      version: 1,
      dbMigration: false,
      validation: ["mrp-run", "inventory-reservation", "procurement-rules", "accounting-posting", "interface-health"],
      window: { start: "2026-12-05T22:00:00+01:00", end: "2026-12-06T02:00:00+01:00" },
    });
    expect(c.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const audit = await call<ListPage<AuditEvent>>(core, "audit.list", { changeId: c.id });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      action: "change.create",
      actor: "lena.weber@plant.example",
      door: "direct",
    });
  });

  it("falls back to the OS user when the call names no actor", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange());
    const audit = await call<ListPage<AuditEvent>>(core, "audit.list", { changeId: c.id });
    expect(audit.items[0]?.actor).toMatch(/^os:/);
  });

  it("updates only editable changes, records before/after and refuses stale versions", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange());
    const updated = await call<ChangeDetail>(core, "change.update", {
      id: c.id,
      expectedVersion: 1,
      patch: { title: "Two-step pick routes (Berlin)", plants: ["berlin", "pune"] },
      reason: "scope grew",
    });
    expect(updated).toMatchObject({ title: "Two-step pick routes (Berlin)", plants: ["berlin", "pune"], version: 2 });
    const stale = await core.call("change.update", { id: c.id, expectedVersion: 1, patch: { title: "x" } });
    expect(stale).toMatchObject({ ok: false, error: { code: "conflict" } });
    const audit = await call<ListPage<AuditEvent>>(core, "audit.list", { entityId: c.id, entity: "change" });
    expect(audit.items[1]).toMatchObject({
      action: "change.update",
      before: { title: "Switch Berlin pick routes to two-step", plants: ["berlin"] },
      after: { title: "Two-step pick routes (Berlin)", plants: ["berlin", "pune"] },
      reason: "scope grew",
    });
    await call(core, "change.transition", { id: c.id, to: "cancelled", reason: "dropped" });
    const frozen = await core.call("change.update", { id: c.id, patch: { title: "y" } });
    expect(frozen).toMatchObject({ ok: false, error: { code: "illegal-transition" } });
  });

  it("keeps the risk answers and sets the class", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange({ dbMigration: true }));
    const answers = lowRiskAnswers({ "production-hours": true, "close-period": true });
    const a = await call<RiskAssessment>(core, "risk.assess", { changeId: c.id, answers });
    expect(a).toMatchObject({ score: 8, riskClass: "high", answers });
    const detail = await call<ChangeDetail>(core, "change.get", { id: c.id });
    expect(detail).toMatchObject({ risk: "high", riskScore: 8, assessment: { answers } });
    const q = await call<{ questions: { id: string }[] }>(core, "risk.questionnaire", {});
    expect(Object.keys(a.answers).sort()).toEqual(q.questions.map((x) => x.id).sort());
  });

  it("tombstones a draft: gone from lists and get, still in the audit", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange({ title: "Tombstone candidate" }));
    await call(core, "change.delete", { id: c.id, reason: "duplicate" });
    expect(await core.call("change.get", { id: c.id })).toMatchObject({ ok: false, error: { code: "not-found" } });
    expect((await list({ q: "tombstone" })).total).toBe(0);
    expect((await list({ q: "tombstone", sort: { field: "createdAt", dir: "desc" } })).total).toBe(0);
    const audit = await call<ListPage<AuditEvent>>(core, "audit.list", { changeId: c.id });
    expect(audit.items.map((e) => e.action)).toEqual(["change.create", "change.delete"]);
    const live = await call<ChangeDetail>(core, "change.create", newChange());
    await call(core, "change.transition", { id: live.id, to: "submitted" });
    expect(await core.call("change.delete", { id: live.id, reason: "x" })).toMatchObject({
      ok: false,
      error: { code: "illegal-transition" },
    });
  });

  it("emits register.changed after commit", async () => {
    const events: EventEnvelope[] = [];
    const off = core.onEvent((e) => events.push(e));
    const c = await call<ChangeDetail>(core, "change.create", newChange());
    off();
    expect(events).toEqual([
      { event: "register.changed", payload: { entity: "change", id: c.id }, seq: expect.any(Number) },
    ]);
  });
});

describe("lists and search", () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const specs = [
      ["mrp-chicago", { title: "MRP lead times", area: "mrp", plants: ["chicago"], description: "supplier lead time" }],
      ["edi-pune", { title: "EDI carrier mapping", area: "integration", plants: ["pune"], environment: "qa" }],
      [
        "wh-both",
        {
          title: "Putaway rules",
          area: "warehouse",
          plants: ["berlin", "chicago"],
          window: { start: "2027-01-10T22:00:00Z", end: "2027-01-11T02:00:00Z" },
        },
      ],
    ] as const;
    for (const [key, o] of specs) {
      clock.set(new Date(clock.now().getTime() + 60_000));
      ids[key] = (await call<ChangeDetail>(core, "change.create", newChange({ ...o }))).id;
    }
    await call<Comment>(core, "change.comment", { id: ids["edi-pune"], body: "Carrier sent Zebra label samples" });
    await call(core, "risk.assess", {
      changeId: ids["wh-both"],
      answers: lowRiskAnswers({ "production-hours": true }),
    });
  });

  it("filters by plant, area, environment, risk, status and window", async () => {
    expect((await list({ plant: ["chicago"] })).items.map((i) => i.id).sort()).toEqual(
      [ids["mrp-chicago"], ids["wh-both"]].sort(),
    );
    expect((await list({ area: ["integration"] })).items.map((i) => i.id)).toEqual([ids["edi-pune"]]);
    expect((await list({ environment: ["qa"] })).items.map((i) => i.id)).toEqual([ids["edi-pune"]]);
    expect((await list({ risk: ["medium"] })).items.map((i) => i.id)).toEqual([ids["wh-both"]]);
    expect(
      (await list({ windowFrom: "2027-01-11T01:00:00Z", windowTo: "2027-02-01T00:00:00Z" })).items.map((i) => i.id),
    ).toEqual([ids["wh-both"]]);
    expect((await list({ windowFrom: "2027-01-11T02:00:00Z" })).total).toBe(0);
    expect((await list({ status: ["draft"], plant: ["pune"], area: ["integration"] })).total).toBe(1);
    // The calendar's unscheduled tray: only changes without a window.
    const unplaced = await call<ChangeDetail>(core, "change.create", newChange({ title: "No slot yet", window: null }));
    const unscheduled = await list({ unscheduled: true, pageSize: 500 });
    expect(unscheduled.items.map((i) => i.id)).toEqual([unplaced.id]);
    await call(core, "change.delete", { id: unplaced.id, reason: "test tidy-up" });
  });

  it("searches titles, descriptions and comments, with a prefix on the last word", async () => {
    expect((await list({ q: "zebra" })).items.map((i) => i.id)).toEqual([ids["edi-pune"]]);
    expect((await list({ q: "supplier lead ti" })).items.map((i) => i.id)).toEqual([ids["mrp-chicago"]]);
    expect((await list({ q: "putaway" })).items.map((i) => i.id)).toEqual([ids["wh-both"]]);
    expect((await list({ q: 'NEAR("x" OR) * ^ "' })).total).toBe(0);
    const newestFirst = await list({ q: "m", sort: { field: "createdAt", dir: "desc" } });
    expect(newestFirst.items.map((i) => i.id).slice(0, 2)).toEqual([ids["edi-pune"], ids["mrp-chicago"]]);
    expect(newestFirst.total).toBe(newestFirst.items.length);
  });

  it("answers a search with thousands of matches the same way on every query path", async () => {
    const many = Array.from({ length: 2_100 }, (_, i) => newChange({ title: `Quarantine lot ${i}` }));
    const { ids: created } = await call<{ ids: string[] }>(core, "change.createMany", { changes: many });
    clock.set(new Date(clock.now().getTime() + 60_000));
    await call(core, "change.comment", { id: created[7], body: "touched last" });
    await call(core, "change.delete", { id: created[8], reason: "duplicate" });
    const all = [...CHANGE_STATUSES];
    for (const field of ["updatedAt", "createdAt"] as const) {
      for (const page of [1, 3]) {
        const plain = await list({ q: "quarantin", sort: { field, dir: "desc" }, page, pageSize: 50 });
        const general = await list({ q: "quarantin", status: all, sort: { field, dir: "desc" }, page, pageSize: 50 });
        expect(plain.total).toBe(2_099);
        expect(plain.items.map((i) => i.id)).toEqual(general.items.map((i) => i.id));
      }
    }
    expect((await list({ q: "quarantin", sort: { field: "updatedAt", dir: "desc" }, pageSize: 1 })).items[0]?.id).toBe(
      created[7],
    );
  });

  it("sorts and pages with a total", async () => {
    const page1 = await list({
      sort: { field: "title", dir: "asc" },
      pageSize: 2,
      area: ["mrp", "integration", "warehouse"],
      status: ["draft"],
      plant: ["chicago", "pune"],
    });
    expect(page1.total).toBe(3);
    expect(page1.items.map((i) => i.title)).toEqual(["EDI carrier mapping", "MRP lead times"]);
    const page2 = await list({
      sort: { field: "title", dir: "asc" },
      pageSize: 2,
      page: 2,
      area: ["mrp", "integration", "warehouse"],
      status: ["draft"],
      plant: ["chicago", "pune"],
    });
    expect(page2.items.map((i) => i.title)).toEqual(["Putaway rules"]);
    const byRisk = await list({ sort: { field: "risk", dir: "desc" }, pageSize: 1 });
    expect(byRisk.items[0]?.risk).toBe("high");
  });

  it("shows one change's timeline with its comments", async () => {
    const audit = await call<ListPage<AuditEvent>>(core, "audit.list", { changeId: ids["edi-pune"] });
    expect(audit.items.map((e) => e.action)).toEqual(["change.create", "change.comment"]);
    expect(audit.items[1]?.prevHash).toBe(
      (await call<ListPage<AuditEvent>>(core, "audit.list", { pageSize: 500 })).items.find(
        (e) => e.seq === (audit.items[1]?.seq ?? 0) - 1,
      )?.hash,
    );
  });

  it("exports JSON and CSV", async () => {
    const json = await call<{ content: string }>(core, "register.export", { format: "json" });
    const parsed = JSON.parse(json.content) as { changes: { id: string; comments: unknown[] }[] };
    expect(parsed.changes.find((c) => c.id === ids["edi-pune"])?.comments).toHaveLength(1);
    const csv = await call<{ content: string }>(core, "register.export", { format: "csv" });
    expect(csv.content.split("\r\n")[0]).toContain("id,number,title");
    expect(csv.content).toContain("EDI carrier mapping");
  });
});
