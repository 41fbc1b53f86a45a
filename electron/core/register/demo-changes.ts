import { DEMO_EMERGENCY } from "../../../shared/domain/demo/emergency";
import { DEMO_NOW } from "../../../shared/domain/demo/roster";
import type { Area, ChangeStatus, ChangeType, RiskClass, Stage } from "../../../shared/domain/register/vocabulary";

// The demo register's changes: titles a plant manager recognises, one or more in every lifecycle state.

/** One demo change and the lifecycle state the seed walks it to. */
export interface DemoChange {
  readonly title: string;
  readonly description: string;
  readonly type: ChangeType;
  readonly area: Area;
  readonly plants: readonly string[];
  readonly status: ChangeStatus;
  readonly environment?: Stage;
  readonly dbMigration?: boolean;
  /** The catalogue template a standard change is raised from (shared/domain/demo/standard-templates.ts). */
  readonly template?: string;
  /** Risk answers: [production-hours, tested-preproduction, rollback-rehearsed, integrations, close-period]. */
  readonly risk?: readonly [boolean, boolean, boolean, readonly string[], boolean];
  /** Days from DEMO_NOW to the window start (hours are plant-night: 22:00 local). */
  readonly windowDay: number;
  readonly comment?: string;
  /**
   * Its sequence in the demo GitOps repository (gitops/demo.ts writes changes/CHG-<year>-<n>): the register numbers
   * it so, and it tells the same story there (title, type, area, plants, requester, state), so Sync imports nothing.
   */
  readonly number?: number;
  /** The requester's e-mail when not the demo's usual requester. */
  readonly requester?: string;
  /** The risk its change.yaml states (numbered changes): the quorum the register counts is the repository's. */
  readonly ledgerRisk?: RiskClass;
}

/** The demo changes, across the three demo plants. */
export const DEMO_CHANGES: readonly DemoChange[] = [
  {
    title: "Add scrap reason codes to Berlin quality checks",
    description: "New reason codes for the final inspection point; no data migration.",
    type: "normal",
    area: "quality",
    plants: ["berlin"],
    status: "draft",
    windowDay: 12,
  },
  {
    title: "Chicago label printer driver update",
    description: "Zebra driver update on the packaging line print server.",
    type: "standard",
    template: "label-printer-driver",
    area: "barcode",
    plants: ["chicago"],
    status: "draft",
    windowDay: 9,
  },
  {
    title: "Pune tool-life counters on CNC work centres",
    description: "Tool-life counters per spindle, fed from the machine controllers.",
    type: "normal",
    area: "quality",
    plants: ["pune"],
    status: "submitted",
    windowDay: 11,
    comment: "Needs the risk assessment before it goes to the repository.",
  },
  // From here on every change is in the demo GitOps repository, in the state its signed history gives it (gitops/demo.ts
  // tells CHG-1..6 by hand, demo-stories.ts the rest from this list). The draft, the change not yet assessed and the
  // one cancelled before it was sent stay on this laptop.
  {
    title: "Switch Berlin pick routes to two-step",
    description: "Two-step delivery (pick + ship) for the Berlin warehouse; reservation rules change.",
    type: "normal",
    area: "warehouse",
    plants: ["berlin"],
    status: "implementing",
    risk: [true, true, false, ["wms"], false],
    windowDay: -6,
    comment: "Please add the reservation check to the pre-production gates.",
    number: 1,
    ledgerRisk: "high",
  },
  {
    title: "New MRP reorder rules for Berlin and Chicago",
    description: "Reorder rules recomputed for both plants' purchased components.",
    type: "normal",
    area: "mrp",
    plants: ["berlin", "chicago"],
    status: "awaiting-approval",
    risk: [false, true, true, [], false],
    windowDay: 5,
    number: 2,
    ledgerRisk: "medium",
  },
  {
    title: "Add lot label field to Pune barcode report",
    description: "The lot number printed on the Pune barcode report.",
    type: "normal",
    area: "reporting",
    plants: ["pune"],
    // In the repository a submitted change.yaml is out for approval: Sync reads it so, and so does the register.
    status: "awaiting-approval",
    risk: [false, true, true, [], false],
    windowDay: 7,
    number: 3,
    ledgerRisk: "low",
  },
  {
    title: "Change accounting posting of scrap during month-end",
    description: "Scrap posted to its own account during the month-end close.",
    type: "normal",
    area: "accounting",
    plants: ["chicago"],
    status: "rejected",
    risk: [false, true, false, [], true],
    windowDay: 3,
    number: 4,
    ledgerRisk: "high",
  },
  {
    title: "Hotfix: scanners reject supplier lot numbers",
    description: "Barcode scanners reject lot numbers after the supplier label change; shipping stopped.",
    type: "emergency",
    area: "barcode",
    plants: ["pune"],
    status: "implementing",
    risk: [true, false, false, ["shipping"], false],
    windowDay: -3,
    number: 5,
    ledgerRisk: "high",
    requester: "priya.nair@plant.example",
  },
  {
    title: "Add stock valuation layer index (migration)",
    description: "Database index on the stock valuation layer; a migration the DBA approved.",
    type: "normal",
    area: "platform",
    plants: ["berlin"],
    status: "approved",
    dbMigration: true,
    risk: [false, true, true, [], false],
    windowDay: 2,
    number: 6,
    ledgerRisk: "high",
  },
  {
    title: "Pune BOM revision for spindle housing",
    description: "Version 4 of the spindle housing BOM with the new bearing supplier.",
    type: "normal",
    area: "bom",
    plants: ["pune"],
    status: "assessed",
    risk: [false, true, true, [], false],
    windowDay: 6,
    number: 7,
    ledgerRisk: "low",
  },
  {
    title: "EDI 856 mapping for the new Chicago carrier",
    description: "Advance ship notice mapping for the new LTL carrier.",
    type: "normal",
    area: "integration",
    plants: ["chicago"],
    status: "awaiting-approval",
    risk: [false, true, false, ["edi", "shipping"], false],
    windowDay: 3,
    comment: "Carrier test files validated in pre-production.",
    number: 8,
    ledgerRisk: "medium",
  },
  {
    title: "MRP lead time recalculation for all plants",
    description: "Recompute supplier lead times from the last 12 months of receipts; MRP runs on the new values.",
    type: "normal",
    area: "mrp",
    plants: ["berlin", "chicago", "pune"],
    status: "awaiting-approval",
    dbMigration: true,
    risk: [true, true, false, ["mes"], true],
    windowDay: 4,
    number: 9,
    ledgerRisk: "high",
  },
  {
    title: "Procurement rule: min/max for Pune fasteners",
    description: "Reordering rules for 140 fastener SKUs.",
    type: "normal",
    area: "procurement",
    plants: ["pune"],
    status: "approved",
    risk: [false, true, true, [], false],
    windowDay: 2,
    number: 10,
    ledgerRisk: "low",
  },
  {
    title: "Odoo 17.0 security patch (monthly)",
    description: "Monthly upstream security patch from the pre-approved template.",
    type: "standard",
    template: "odoo-security-patch",
    area: "platform",
    plants: ["berlin", "chicago", "pune"],
    status: "scheduled",
    risk: [false, true, true, [], false],
    windowDay: 1,
    number: 11,
    ledgerRisk: "low",
  },
  {
    title: "Berlin MES work-order sync retry policy",
    description: "Exponential retry for work-order progress messages from the MES.",
    type: "normal",
    area: "integration",
    plants: ["berlin"],
    status: "scheduled",
    risk: [true, true, true, ["mes"], false],
    windowDay: 1,
    comment: "Window agreed with the Berlin shift leads.",
    number: 12,
    ledgerRisk: "medium",
  },
  {
    title: "Chicago cycle count schedule",
    description: "ABC cycle counting with weekly A-class counts.",
    type: "normal",
    area: "warehouse",
    plants: ["chicago"],
    status: "implementing",
    risk: [true, true, true, ["wms"], false],
    windowDay: -2,
    number: 13,
    ledgerRisk: "medium",
  },
  {
    title: "Accounting: new cost centre for Pune machining cell 4",
    description: "Cost centre and analytic account for the new cell.",
    type: "standard",
    template: "cost-centre",
    area: "accounting",
    plants: ["pune"],
    status: "validating",
    risk: [false, true, true, [], false],
    windowDay: -2,
    number: 14,
    ledgerRisk: "low",
  },
  {
    title: "Reporting: OEE dashboard for Berlin",
    description: "OEE by line and shift from MES downtime events.",
    type: "normal",
    area: "reporting",
    plants: ["berlin"],
    status: "closed",
    risk: [false, true, true, ["mes"], false],
    windowDay: -9,
    comment: "Closed after a week of matching figures.",
    number: 15,
    ledgerRisk: "low",
  },
  {
    title: "Barcode: GS1-128 lot parsing fix",
    description: "Scanners reject lot numbers after the supplier label change; shipping stopped.",
    type: "emergency",
    area: "barcode",
    plants: ["chicago"],
    status: "closed",
    risk: [true, false, false, ["shipping"], false],
    windowDay: -3,
    number: 16,
    ledgerRisk: "high",
  },
  {
    title: "Quality: remove obsolete inspection template",
    description: "Template replaced by the new control plan.",
    type: "normal",
    area: "quality",
    plants: ["pune"],
    status: "rejected",
    risk: [false, true, true, [], false],
    windowDay: 8,
    comment: "Still referenced by two open work orders; rejected until they close.",
    number: 17,
    ledgerRisk: "medium",
  },
  {
    title: "Warehouse: putaway by ABC class",
    description: "Superseded by the two-step pick route change.",
    type: "normal",
    area: "warehouse",
    plants: ["berlin"],
    status: "cancelled",
    windowDay: 10,
  },
  {
    title: "Inventory valuation switch to FIFO (Chicago)",
    description: "Costing method change with a stock revaluation entry.",
    type: "normal",
    area: "accounting",
    plants: ["chicago"],
    status: "failed",
    dbMigration: true,
    risk: [true, true, false, [], true],
    windowDay: -2,
    comment: "Revaluation posted twice in validation; investigating.",
    number: 18,
    ledgerRisk: "high",
  },
  {
    title: "WMS interface: batch size 500",
    description: "Bigger batches to the WMS to cut message volume.",
    type: "normal",
    area: "integration",
    plants: ["berlin", "pune"],
    status: "rolled-back",
    risk: [true, true, false, ["wms"], false],
    windowDay: -5,
    comment: "WMS queue backed up at 500; rolled back to 100.",
    number: 19,
    ledgerRisk: "medium",
  },
  {
    title: "Chicago shipping label layout pushed without approval",
    description: "Label layout change released straight to production; the CAB never approved it.",
    type: "normal",
    area: "barcode",
    plants: ["chicago"],
    status: "unauthorised",
    risk: [true, true, false, ["shipping"], false],
    windowDay: -1,
    comment: "Release found without its approvals; roll back or record it failed.",
    number: 20,
    ledgerRisk: "medium",
  },
  {
    title: "Emergency: MES connector certificate renewal",
    description: "Expired client certificate stopped work-order updates from Pune.",
    type: "emergency",
    area: "integration",
    plants: ["pune"],
    status: "implementing",
    risk: [true, false, false, ["mes"], false],
    windowDay: 0,
    number: 21,
    ledgerRisk: "high",
  },
  {
    title: "QA: new routing for Chicago line 2",
    description: "Routing test in QA only.",
    type: "normal",
    area: "mrp",
    plants: ["chicago"],
    status: "approved",
    environment: "qa",
    risk: [false, true, true, [], false],
    windowDay: 7,
    number: 22,
    ledgerRisk: "low",
  },
];

const HOUR = 3_600_000;

/**
 * A demo change's window: `windowDay` days from DEMO_NOW at 12:00 after it, four hours long. The register seed and the
 * demo repository's change.yaml both take it from here, so a numbered change has one window in both.
 */
export function demoWindow(
  c: DemoChange,
  base = Date.parse(DEMO_NOW),
): { readonly start: string; readonly end: string } {
  const start = base + c.windowDay * 24 * HOUR + 12 * HOUR;
  return { start: new Date(start).toISOString(), end: new Date(start + 4 * HOUR).toISOString() };
}

/** The demo change the demo repository numbers `n` (changes/CHG-<year>-<n>). */
export function numberedDemoChange(n: number): DemoChange {
  const c = DEMO_CHANGES.find((x) => x.number === n);
  if (!c) throw new Error(`The demo has no change numbered ${n}.`);
  return c;
}

/** The states a release commit in the demo repository tells (the cluster's follow-up tells the ones after it). */
export const RELEASED_STATES: readonly ChangeStatus[] = [
  "implementing",
  "validating",
  "closed",
  "failed",
  "rolled-back",
  "unauthorised",
];

/** Whether the demo repository holds the signed approvals that meet this demo change's quorum. */
export function demoApproved(c: DemoChange): boolean {
  return (
    c.status === "approved" ||
    c.status === "scheduled" ||
    (RELEASED_STATES.includes(c.status) && c.status !== "unauthorised")
  );
}

/** What a numbered demo emergency's exception says: CHG-5's is the demo's scanner incident, the others their own. */
export function demoEmergency(
  c: DemoChange,
  index: number,
): { readonly justification: string; readonly incident: string } {
  return c.number === 5
    ? { justification: DEMO_EMERGENCY.justification, incident: DEMO_EMERGENCY.incident }
    : { justification: c.description, incident: `INC-${88000 + index}` };
}

/** The retrospective review of a closed demo emergency, the same in the register and in its review.yaml. */
export const DEMO_REVIEW = {
  reviewer: "sofia.rossi@plant.example",
  role: "change-manager",
  outcome: "accepted",
  notes: "Break-glass was justified; the fix stays and the supplier label check is now in the pre-production gates.",
  /** After the window's start: the day after the break-glass release. */
  afterStartMs: 26 * HOUR,
} as const;
