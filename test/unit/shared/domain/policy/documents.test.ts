import { describe, expect, it } from "vitest";
import {
  approvalPath,
  matchesGlob,
  parseApproval,
  parseChange,
  writeApproval,
  writeChange,
} from "../../../../../shared/domain/policy/index";

describe("matchesGlob", () => {
  it.each([
    ["apps/odoo/overlays/prod/**", "apps/odoo/overlays/prod/kustomization.yaml", true],
    ["apps/odoo/overlays/prod/**", "apps/odoo/overlays/prod/a/b/c.yaml", true],
    ["apps/odoo/overlays/prod/**", "apps/odoo/overlays/production/x.yaml", false],
    ["apps/**/prod/*.yaml", "apps/odoo/overlays/prod/k.yaml", true],
    ["apps/**/prod/*.yaml", "apps/prod/k.yaml", true],
    ["apps/*/prod/*.yaml", "apps/odoo/overlays/prod/k.yaml", false],
    ["apps/{odoo,mes}/prod/?.yaml", "apps/mes/prod/k.yaml", true],
    ["apps/odoo.prod/**", "apps/odooXprod/k", false],
  ])("%s matches %s: %s", (glob, path, expected) => {
    expect(matchesGlob(path, glob)).toBe(expected);
  });
});

describe("canonical documents", () => {
  const change = parseChange(`id: CHG-2026-0042
title: Switch Berlin pick routes to two-step
type: normal
risk: high
area: warehouse
environment: production
plants: [berlin]
requester: {name: Lena Weber, email: lena.weber@plant.example}
implementer: {name: Tom Fischer, email: tom.fischer@plant.example}
window: {start: 2026-12-05T22:00:00+01:00, end: 2026-12-06T02:00:00+01:00}
dbMigration: false
rollback: "Revert image tag"
validation: [mrp-run, inventory-reservation]
`);
  it("writes change.yaml in the spec's shape and reads it back", () => {
    const text = writeChange(change);
    expect(text).toContain("requester: { name: Lena Weber, email: lena.weber@plant.example }");
    expect(text).toContain("window: { start: 2026-12-05T22:00:00+01:00, end: 2026-12-06T02:00:00+01:00 }");
    expect(parseChange(text)).toEqual(change);
    expect(writeChange(parseChange(text))).toBe(text);
  });
  it("writes approvals canonically", () => {
    const approval = parseApproval(`change: CHG-2026-0042
scope: deploy
decision: approved
meaning: Approved for production release
signer: {name: Ana Ortiz, email: ana.ortiz@plant.example, role: plant-ops-leader}
signedAt: 2026-12-01T09:12:44+01:00
changeDigest: sha256:${"a".repeat(64)}
`);
    expect(parseApproval(writeApproval(approval))).toEqual(approval);
  });
  it("names the line of a YAML syntax error", () => {
    expect(() => parseChange("id: [unclosed\n")).toThrow(/change\.yaml line/);
  });
});

describe("approvalPath", () => {
  it("names the approval file and refuses e-mails that would leave the change's folder", () => {
    expect(approvalPath("CHG-2026-0042", "ana.ortiz@plant.example", "deploy")).toBe(
      "changes/CHG-2026-0042/approvals/ana.ortiz@plant.example--deploy.yaml",
    );
    expect(() => approvalPath("CHG-2026-0042", "../../x@y", "deploy")).toThrow(/cannot name/);
  });
});
