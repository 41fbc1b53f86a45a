import type { StandardTemplate } from "../policy/standard-templates";
import { DEMO_PLANTS } from "./roster";

const ALL_PLANTS = DEMO_PLANTS.map((p) => p.id);

/** The demo's standard-change catalogue (.shiftgate/standard-changes/), pre-approved by its policy-admin. */
export const DEMO_STANDARD_TEMPLATES: readonly StandardTemplate[] = [
  {
    id: "odoo-security-patch",
    title: "Odoo monthly security patch",
    areas: ["platform"],
    plants: ALL_PLANTS,
    environments: ["qa", "preproduction", "production"],
    maxRisk: "low",
    dbMigration: false,
    steps: [
      "Pin the patched upstream image tag in the qa overlay and run the smoke tests",
      "Promote the same tag to pre-production and production inside the plant's maintenance window",
      "Roll back by reverting the image tag",
    ],
  },
  {
    id: "label-printer-driver",
    title: "Label printer driver update",
    areas: ["barcode"],
    // Only the plants whose packaging lines run the same Zebra print servers.
    plants: ["chicago", "pune"],
    environments: ["qa", "preproduction", "production"],
    maxRisk: "low",
    dbMigration: false,
    steps: [
      "Install the vendor driver on the print server's standby node and print the test labels",
      "Switch the packaging line queue to the standby node; keep the old driver for rollback",
    ],
  },
  {
    id: "cost-centre",
    title: "New cost centre and analytic account",
    areas: ["accounting"],
    plants: ALL_PLANTS,
    environments: ["preproduction", "production"],
    maxRisk: "low",
    dbMigration: false,
    steps: ["Create the cost centre and its analytic account outside the close period", "Post one test entry"],
  },
];
