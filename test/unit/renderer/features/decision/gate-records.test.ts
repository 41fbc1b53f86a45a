import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { GateRecords } from "../../../../../renderer/features/decision/gate-records";
import type { DecisionEvidence } from "../../../../../shared/contract/methods/approvals";
import type { Gate } from "../../../../../shared/contract/methods/register";
import { offsetText } from "../../../../../shared/domain/calendar/plant-time";

const base: Gate = {
  id: "01JXGATE000000000000000001",
  changeId: "01JXCHANGE0000000000000001",
  stage: "preproduction",
  gate: "mrp-run",
  target: null,
  result: "pass",
  reason: null,
  waivedBy: null,
  waivedByRole: null,
  recordedBy: "tom.fischer@plant.example",
  recordedAt: "2026-12-03T10:00:00Z",
  measurements: [
    { name: "Run duration", value: 14, unit: "min", target: { op: "<=", value: 30 }, ok: true },
    { name: "Exceptions", value: 3, unit: null, target: { op: "==", value: 0 }, ok: false },
  ],
  evidence: [],
};

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("the gate records a signer sees", () => {
  it("shows each measured value against its target, a waiver as a waiver, and where each evidence file is", () => {
    const waived: Gate = {
      ...base,
      id: "01JXGATE000000000000000002",
      gate: "interface-health",
      target: "MES",
      result: "waived",
      reason: "MES test system down; checked in production shadow",
      waivedBy: "sofia.rossi@plant.example",
      waivedByRole: "change-manager",
      measurements: [],
    };
    const evidence: DecisionEvidence[] = [
      { filename: "mrp-run.log", sha256: "a".repeat(64), size: 76, gateId: base.id, location: "here" },
      { filename: "mes-shadow.csv", sha256: "b".repeat(64), size: 2048, gateId: waived.id, location: "missing" },
    ];
    const shown = text(renderToStaticMarkup(createElement(GateRecords, { gates: [base, waived], evidence })));
    expect(shown).toContain("Run duration: 14 min (target ≤ 30 min)");
    expect(shown).toContain("Exceptions: 3 (target = 0) ✗");
    expect(shown).toContain("Waived by sofia.rossi@plant.example (change-manager)");
    expect(shown).not.toMatch(/interface health \(MES\) Passed/);
    expect(shown).toContain("mrp-run.log (76 B) on this laptop");
    expect(shown).toContain("mes-shadow.csv (2.0 KB) missing on this laptop");
  });

  it("says when no gate result is recorded rather than showing an empty table", () => {
    const shown = text(renderToStaticMarkup(createElement(GateRecords, { gates: [], evidence: [] })));
    expect(shown.trim()).toBe("No gate results recorded.");
  });
});

describe("a plant's offset", () => {
  it("is written as UTC±hh:mm at the instant, summer or winter", () => {
    const winter = Date.parse("2026-12-04T21:00:00Z");
    const summer = Date.parse("2026-07-04T21:00:00Z");
    expect(offsetText("Europe/Berlin", winter)).toBe("UTC+01:00");
    expect(offsetText("Europe/Berlin", summer)).toBe("UTC+02:00");
    expect(offsetText("America/Chicago", winter)).toBe("UTC-06:00");
    expect(offsetText("Asia/Kolkata", winter)).toBe("UTC+05:30");
  });
});
