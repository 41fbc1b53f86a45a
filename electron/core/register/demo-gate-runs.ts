import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import type { GateName, Stage } from "../../../shared/domain/register/vocabulary";
import { DEMO_CHANGES, type DemoChange, demoApproved } from "./demo-changes";

/** What one demo gate run measured, and the log it left. */
interface DemoGateRun {
  readonly measurements: readonly { name: string; value: number; unit?: string }[];
  readonly log: string;
}

// Real-looking numbers that vary per change but always meet the demo policy's targets (shared/domain/demo/gates.ts).
/** The measured values and log of a demo gate run. */
export function demoGateRun(gate: GateName, plants: readonly string[], stage: Stage, index: number): DemoGateRun {
  const where = `${plants.join(",")} ${stage}`;
  switch (gate) {
    case "mrp-run": {
      const minutes = 18 + ((index * 7) % 20);
      const orders = 120 + index * 3;
      return {
        measurements: [
          { name: "duration", value: minutes, unit: "min" },
          { name: "exceptions", value: 0 },
          { name: "orders-planned", value: orders },
        ],
        log: `MRP scheduler run, ${where}\nplanned manufacturing orders: ${orders}\nexceptions: 0\nduration: ${minutes} min\n`,
      };
    }
    case "inventory-reservation": {
      const checked = 400 + index * 11;
      return {
        measurements: [
          { name: "reservations-checked", value: checked },
          { name: "reservations-failed", value: 0 },
        ],
        log: `Stock reservation check, ${where}\npickings checked: ${checked}\nreservations failed: 0\n`,
      };
    }
    case "procurement-rules": {
      const rules = 30 + (index % 9);
      return {
        measurements: [
          { name: "rules-checked", value: rules },
          { name: "rules-failed", value: 0 },
        ],
        log: `Replenishment rules dry run, ${where}\nreordering rules evaluated: ${rules}\nfailed: 0\n`,
      };
    }
    case "accounting-posting": {
      const entries = 60 + index * 2;
      return {
        measurements: [
          { name: "entries-posted", value: entries },
          { name: "unbalanced-entries", value: 0 },
        ],
        log: `Test postings (stock valuation, WIP), ${where}\njournal entries posted: ${entries}\nunbalanced: 0\n`,
      };
    }
    case "interface-health": {
      const rate = ((index % 4) * 0.1).toFixed(1);
      return {
        measurements: [{ name: "error-rate", value: Number(rate), unit: "%" }],
        log: `Interface health, ${where}\nMES: ok\nWMS: ok\nEDI: ok (error rate ${rate} %)\nshipping: ok\n`,
      };
    }
    case "smoke-tests":
      return { measurements: [{ name: "failed", value: 0 }], log: `Smoke tests, ${where}\nfailed: 0\n` };
  }
}

/**
 * The demo changes (by CHG number) whose pre-production gates the demo repository holds as signed files: every
 * numbered change approved or beyond that goes through pre-production, save the emergencies (break-glass answers for
 * their gates until the review).
 */
export const DEMO_GATED_NUMBERS: readonly number[] = DEMO_CHANGES.filter(
  (c) =>
    c.number !== undefined &&
    c.type !== "emergency" &&
    (c.environment ?? "production") === "production" &&
    (demoApproved(c) || c.status === "unauthorised"),
).map((c) => c.number ?? 0);

/** Who records a demo change's gates: the first plant's ops leader, unless that is the requester (then the DBA). */
export function demoRecorder(c: DemoChange): { readonly email: string; readonly role: string } {
  const requester = c.requester ?? "lena.weber@plant.example";
  const leader = DEMO_PEOPLE.find((p) => p.roles.includes("plant-ops-leader") && p.plants.includes(c.plants[0] ?? ""));
  return leader && leader.email !== requester
    ? { email: leader.email, role: "plant-ops-leader" }
    : { email: "dana.kim@plant.example", role: "dba" };
}

/** The id a demo gate file carries in its name, the same in the demo register and the demo repository. */
export function demoGateId(index: number, gate: GateName): string {
  return `demo${index}${gate.replace(/-/g, "")}`;
}
