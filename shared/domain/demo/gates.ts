import type { GatePolicy, GateRule } from "../policy/gate-rules";
import type { GateName } from "../register/vocabulary";

// The demo policy's gates: the manufacturing checks before each protected stage, with the targets a plant would set.
// Measurements are checked whenever they are given; the demo marks them optional so a hand-recorded pass still counts.

const TARGETS: Readonly<Record<GateName, GateRule["evidence"]["measurements"]>> = {
  "mrp-run": [
    { name: "duration", unit: "min", op: "<=", value: 45, required: false },
    { name: "exceptions", op: "==", value: 0, required: false },
  ],
  "inventory-reservation": [{ name: "reservations-failed", op: "==", value: 0, required: false }],
  "procurement-rules": [{ name: "rules-failed", op: "==", value: 0, required: false }],
  "accounting-posting": [{ name: "unbalanced-entries", op: "==", value: 0, required: false }],
  "interface-health": [{ name: "error-rate", unit: "%", op: "<=", value: 0.5, required: false }],
  "smoke-tests": [{ name: "failed", op: "==", value: 0, required: false }],
};

const rule = (gate: GateName, waivers: readonly string[]): GateRule => ({
  gate,
  waivers: [...waivers],
  evidence: { measurements: TARGETS[gate].map((m) => ({ ...m })), file: false },
});

const FIVE: readonly GateName[] = [
  "mrp-run",
  "inventory-reservation",
  "procurement-rules",
  "accounting-posting",
  "interface-health",
];

/** The demo policy.yaml `gates:`: qa and pre-production gates, waived only by a change-manager. */
export function demoGatePolicy(): GatePolicy {
  return {
    qa: FIVE.map((g) => rule(g, ["change-manager"])),
    preproduction: FIVE.map((g) => rule(g, ["change-manager"])),
  };
}
