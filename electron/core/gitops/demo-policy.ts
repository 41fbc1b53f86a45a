import { createHash } from "node:crypto";
import { demoGatePolicy } from "../../../shared/domain/demo/gates";
import { DEMO_PEOPLE, DEMO_PLANTS, type DemoPerson } from "../../../shared/domain/demo/roster";
import { DEFAULT_ACTIONS, type Policy } from "../../../shared/domain/policy/index";

/** The policy.yaml of the demo repository (with `gates: true`): the spec's example rules over the demo roster. */
export function demoPolicy(
  people: readonly DemoPerson[] = DEMO_PEOPLE,
  format: "ssh" | "openpgp" = "ssh",
  options: { readonly gates?: boolean } = {},
): Policy {
  return {
    version: 1,
    signing: { format },
    roles: [],
    plants: DEMO_PLANTS.map((p) => ({
      id: p.id,
      name: p.name,
      timeZone: p.timeZone,
      // Each plant's Odoo applications: one plant's blackout must not hold another plant's releases.
      // Maintenance stays advisory in the demo: its changes are planned on weekdays too.
      argocd: { applications: [`odoo-${p.id}-*`], maintenance: "advisory" as const },
    })),
    people: people.map((p) => ({ email: p.email, name: p.name, roles: [...p.roles], plants: [...p.plants] })),
    environments: {
      // The prod overlay builds on ../../base: a change to base reaches production, so base is protected too.
      production: { paths: ["apps/odoo/overlays/prod/**", "apps/odoo/base/**"], protected: true },
      preproduction: { paths: ["apps/odoo/overlays/preprod/**"], protected: true },
      qa: { paths: ["apps/odoo/overlays/qa/**"], protected: false },
    },
    approvals: {
      low: [{ role: "change-manager", count: 1, perPlant: false }],
      medium: [
        { role: "change-manager", count: 1, perPlant: false },
        { role: "plant-ops-leader", count: 1, perPlant: true },
      ],
      high: [
        { role: "cab-member", count: 2, perPlant: false },
        { role: "plant-ops-leader", count: 1, perPlant: true },
      ],
      emergency: [
        { role: "it-manager", count: 1, perPlant: false },
        { role: "plant-ops-leader", count: 1, perPlant: false },
      ],
      dbMigration: [{ role: "dba", count: 1, perPlant: false }],
    },
    // The demo repository names its gates; test worlds built on this policy keep the built-in default (verify then
    // reports no gate-missing: it judges only gates a signed policy names).
    ...(options.gates ? { gates: demoGatePolicy() } : {}),
    // The defaults, written out so the demo repository shows who may take each action.
    actions: Object.fromEntries(Object.entries(DEFAULT_ACTIONS).map(([action, who]) => [action, [...who]])),
    segregation: {
      requesterMayApprove: false,
      implementerMayApprove: false,
      dbApproverMayApproveDeploy: false,
      emergencyLoggerMayApprove: false,
      emergencyLoggerMayReview: false,
      conflictingRoles: [
        ["developer", "release-manager"],
        ["developer", "dba"],
      ],
    },
    emergency: { reviewWithin: "48h", reviewerRoles: ["cab-member", "change-manager"], exceptionRoles: ["it-manager"] },
  };
}

/** The image every demo overlay deploys. */
export const DEMO_IMAGE = "registry.plant.example/odoo";

/** The demo's stand-in digest for a tag: stable, so every stage of the demo pins the same bytes for one tag. */
export function demoDigest(tag: string): string {
  return `sha256:${createHash("sha256").update(`${DEMO_IMAGE}:${tag}`).digest("hex")}`;
}

/** A kustomization for one overlay, pinned to an image tag and, when given, its digest (name:tag@digest). */
export function demoKustomization(overlay: string, tag: string, digest?: string): string {
  return [
    "apiVersion: kustomize.config.k8s.io/v1beta1",
    "kind: Kustomization",
    `namespace: odoo-${overlay}`,
    "resources:",
    "  - ../../base",
    "images:",
    `  - name: ${DEMO_IMAGE}`,
    `    newTag: "${tag}"`,
    ...(digest ? [`    digest: ${digest}`] : []),
    "",
  ].join("\n");
}

/** The shared base every overlay builds on (../../base): the Odoo Deployment and its Service. */
export const DEMO_BASE_FILES: readonly { readonly path: string; readonly content: string }[] = [
  {
    path: "apps/odoo/base/kustomization.yaml",
    content: [
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      "resources:",
      "  - deployment.yaml",
      "  - service.yaml",
      "",
    ].join("\n"),
  },
  {
    path: "apps/odoo/base/deployment.yaml",
    content: [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: odoo-web",
      "  labels: { app.kubernetes.io/name: odoo }",
      "spec:",
      "  replicas: 2",
      "  selector:",
      "    matchLabels: { app.kubernetes.io/name: odoo }",
      "  template:",
      "    metadata:",
      "      labels: { app.kubernetes.io/name: odoo }",
      "    spec:",
      "      containers:",
      "        - name: odoo",
      // Overlays pin the release (images: with tag and digest); the base names the image only.
      `          image: ${DEMO_IMAGE}`,
      "          ports: [{ containerPort: 8069, name: http }]",
      "",
    ].join("\n"),
  },
  {
    path: "apps/odoo/base/service.yaml",
    content: [
      "apiVersion: v1",
      "kind: Service",
      "metadata:",
      "  name: odoo-web",
      "spec:",
      "  selector: { app.kubernetes.io/name: odoo }",
      "  ports: [{ port: 80, targetPort: http, name: http }]",
      "",
    ].join("\n"),
  },
];
