import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import { type Policy, policySchema } from "../../../shared/domain/policy/index";

/**
 * The policy that applies until a GitOps repository is configured: the demo roster with the rules of
 * specs/gitops-repo.md, so the demo behaves exactly as a repository with that policy.yaml would.
 */
export function demoPolicy(): Policy {
  return policySchema.parse({
    version: 1,
    signing: { format: "ssh" },
    people: DEMO_PEOPLE.map((p) => ({ email: p.email, name: p.name, roles: [...p.roles], plants: [...p.plants] })),
    environments: {
      production: { paths: ["apps/odoo/overlays/prod/**"], protected: true },
      qa: { paths: ["apps/odoo/overlays/qa/**"], protected: false },
    },
    approvals: {
      low: [{ role: "change-manager", count: 1 }],
      medium: [
        { role: "change-manager", count: 1 },
        { role: "plant-ops-leader", count: 1, perPlant: true },
      ],
      high: [
        { role: "cab-member", count: 2 },
        { role: "plant-ops-leader", count: 1, perPlant: true },
      ],
      emergency: [
        { role: "it-manager", count: 1 },
        { role: "plant-ops-leader", count: 1 },
      ],
      dbMigration: [{ role: "dba", count: 1 }],
    },
    segregation: {
      requesterMayApprove: false,
      implementerMayApprove: false,
      dbApproverMayApproveDeploy: false,
      conflictingRoles: [
        ["developer", "release-manager"],
        ["developer", "dba"],
      ],
    },
    emergency: { reviewWithin: "48h", reviewerRoles: ["cab-member", "change-manager"] },
  });
}
