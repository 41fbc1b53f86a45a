import { fixedClock } from "../../../../../electron/core/clock";
import type { Core } from "../../../../../electron/core/core";
import type { MethodInput, MethodName, MethodOutput } from "../../../../../shared/contract/index";
import { DEFAULT_GATE_NAMES } from "../../../../../shared/domain/policy/gate-rules";
import { derivedBy } from "../../../../../shared/domain/register/lifecycle";
import { evidenceMove } from "../../../../helpers/evidence-move";
import { lowRiskAnswers } from "../../../../helpers/risk-answers";
import { commitCatalogue, TEST_TEMPLATE } from "../../../../helpers/standard-catalogue";
import { tempCore } from "../../../../helpers/temp";

/** A register built call by call with the clock set before each step, so every milestone's instant is known. */
export interface Fixture {
  readonly core: Core;
  readonly cleanup: () => void;
}

type Clock = ReturnType<typeof fixedClock>;

async function call<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.call(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

const ANSWERS = lowRiskAnswers();

type Step =
  | { readonly at: string; readonly to: MethodInput<"change.transition">["to"]; readonly reason?: string }
  | { readonly at: string; readonly production: true };

async function change(
  core: Core,
  clock: Clock,
  spec: {
    readonly title: string;
    readonly type: "standard" | "normal" | "emergency";
    readonly plants: readonly string[];
    readonly environment: "qa" | "production";
    readonly created: string;
    readonly steps: readonly Step[];
  },
): Promise<string> {
  clock.set(spec.created);
  const created = await call(core, "change.create", {
    title: spec.title,
    type: spec.type,
    template: spec.type === "standard" ? TEST_TEMPLATE.id : null,
    area: spec.type === "standard" ? "warehouse" : "mrp",
    plants: [...spec.plants],
    environment: spec.environment,
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
    validation: [],
    rollbackPlan: "Revert the release commit.",
    // A window is only needed to schedule; its place does not enter any figure.
    window: { start: "2026-12-20T08:00:00Z", end: "2026-12-20T12:00:00Z" },
  });
  // The policy's qa and pre-production gates (a change cannot drop them), passed before any step.
  if (spec.environment === "production")
    for (const stage of ["qa", "preproduction"] as const)
      for (const gate of DEFAULT_GATE_NAMES)
        await call(core, "gate.record", { changeId: created.id, stage, gate, result: "pass" });
  for (const step of spec.steps) {
    clock.set(step.at);
    if ("production" in step) {
      for (const to of ["integration", "qa", "preproduction", "production"] as const) {
        await call(core, "change.promote", { id: created.id, to });
      }
      continue;
    }
    if (step.to === "assessed") await call(core, "risk.assess", { changeId: created.id, answers: ANSWERS });
    // Approval, rejection, release and validation follow from evidence: made as the capabilities make them.
    const before = (await call(core, "change.get", { id: created.id })).status;
    // A standard change is approved by the core the moment it is assessed inside its template.
    if (before === step.to) continue;
    if (derivedBy(spec.type, before, step.to) !== null) evidenceMove(core, created.id, step.to, step.reason);
    else await call(core, "change.transition", { id: created.id, to: step.to, reason: step.reason });
  }
  return created.id;
}

/**
 * Six changes over October and November 2026 (UTC) with known answers (see figures.test.ts):
 * A normal berlin: submitted 1 Oct, approved +24 h, production +48 h, closed 4 Oct (success).
 * B normal chicago+pune: submitted 10 Oct, approved +12 h, production +24 h, failed 2 Nov.
 * C emergency pune: submitted 5 Nov, approved +2 h, production +4 h, closed 6 Nov (success).
 * D standard berlin (qa): submitted 10 Nov, approved +6 h, never in production.
 * E normal berlin: a draft only, never submitted.
 * F normal chicago: submitted 15 Nov, rejected 16 Nov.
 */
export async function figuresFixture(): Promise<Fixture> {
  const clock = fixedClock("2026-09-30T00:00:00Z");
  const { core, cleanup } = await tempCore({ clock, demo: false, timeZone: "UTC" });
  commitCatalogue(core.services.gitopsDir ?? "");
  const toProduction = (submitted: string, approved: string, production: string): Step[] => [
    { at: submitted, to: "submitted" },
    { at: submitted, to: "assessed" },
    { at: submitted, to: "awaiting-approval" },
    { at: approved, to: "approved" },
    { at: approved, to: "scheduled" },
    { at: production, to: "implementing" },
    { at: production, production: true },
  ];
  await change(core, clock, {
    title: "A",
    type: "normal",
    plants: ["berlin"],
    environment: "production",
    created: "2026-09-30T12:00:00Z",
    steps: [
      ...toProduction("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z", "2026-10-03T00:00:00Z"),
      { at: "2026-10-03T06:00:00Z", to: "validating" },
      { at: "2026-10-04T00:00:00Z", to: "closed" },
    ],
  });
  await change(core, clock, {
    title: "B",
    type: "normal",
    plants: ["chicago", "pune"],
    environment: "production",
    created: "2026-10-09T00:00:00Z",
    steps: [
      ...toProduction("2026-10-10T00:00:00Z", "2026-10-10T12:00:00Z", "2026-10-11T00:00:00Z"),
      { at: "2026-11-02T00:00:00Z", to: "failed", reason: "Double postings" },
    ],
  });
  await change(core, clock, {
    title: "C",
    type: "emergency",
    plants: ["pune"],
    environment: "production",
    created: "2026-11-05T00:00:00Z",
    steps: [
      { at: "2026-11-05T00:00:00Z", to: "submitted" },
      { at: "2026-11-05T00:00:00Z", to: "awaiting-approval" },
      { at: "2026-11-05T02:00:00Z", to: "approved" },
      { at: "2026-11-05T04:00:00Z", to: "implementing" },
      { at: "2026-11-05T04:00:00Z", production: true },
      { at: "2026-11-05T06:00:00Z", to: "validating" },
      { at: "2026-11-06T00:00:00Z", to: "closed" },
    ],
  });
  await change(core, clock, {
    title: "D",
    type: "standard",
    plants: ["berlin"],
    environment: "qa",
    created: "2026-11-09T00:00:00Z",
    steps: [
      { at: "2026-11-10T00:00:00Z", to: "submitted" },
      { at: "2026-11-10T06:00:00Z", to: "assessed" },
      { at: "2026-11-10T06:00:00Z", to: "approved" },
    ],
  });
  await change(core, clock, {
    title: "E",
    type: "normal",
    plants: ["berlin"],
    environment: "qa",
    created: "2026-11-12T00:00:00Z",
    steps: [],
  });
  await change(core, clock, {
    title: "F",
    type: "normal",
    plants: ["chicago"],
    environment: "qa",
    created: "2026-11-14T00:00:00Z",
    steps: [
      { at: "2026-11-15T00:00:00Z", to: "submitted" },
      { at: "2026-11-16T00:00:00Z", to: "rejected", reason: "Not needed" },
    ],
  });
  clock.set("2026-11-30T12:00:00Z");
  return { core, cleanup };
}
