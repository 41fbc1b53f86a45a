import { describe, expect, it } from "vitest";
import {
  type ApprovalDoc,
  type ApprovalEntry,
  type ChangeDoc,
  canApprove,
  evaluateQuorum,
  parsePolicy,
} from "../../../../../shared/domain/policy/index";

const policy = parsePolicy(`
version: 1
people:
  - {email: lena@p.example, name: Lena Weber, roles: [developer], plants: [berlin]}
  - {email: tom@p.example, name: Tom Fischer, roles: [release-manager]}
  - {email: ana@p.example, name: Ana Ortiz, roles: [plant-ops-leader, cab-member], plants: [berlin]}
  - {email: marcus@p.example, name: Marcus Reed, roles: [plant-ops-leader], plants: [chicago]}
  - {email: raj@p.example, name: Raj Patel, roles: [it-manager, cab-member]}
  - {email: sofia@p.example, name: Sofia Rossi, roles: [cab-member, change-manager]}
  - {email: kenji@p.example, name: Kenji Sato, roles: [cab-member]}
  - {email: dana@p.example, name: Dana Kim, roles: [dba, cab-member]}
  - {email: bad@p.example, name: Bad Actor, roles: [developer, dba, cab-member]}
environments:
  production: {paths: ["apps/prod/**"], protected: true}
  qa: {paths: ["apps/qa/**"], protected: false}
approvals:
  low: [{role: change-manager, count: 1}]
  medium: [{role: change-manager, count: 1}, {role: plant-ops-leader, count: 1, perPlant: true}]
  high: [{role: cab-member, count: 2}, {role: plant-ops-leader, count: 1, perPlant: true}]
  emergency: [{role: it-manager, count: 1}, {role: plant-ops-leader, count: 1}]
  dbMigration: [{role: dba, count: 1}]
segregation:
  conflictingRoles: [[developer, release-manager], [developer, dba]]
`);

const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;
const names: Record<string, string> = Object.fromEntries(policy.people.map((p) => [p.email.split("@")[0], p.name]));

function change(over: Partial<ChangeDoc> = {}): ChangeDoc {
  return {
    id: "CHG-2026-0001",
    title: "t",
    type: "normal",
    risk: "high",
    area: "warehouse",
    environment: "production",
    plants: ["berlin"],
    requester: { name: "Lena Weber", email: "lena@p.example" },
    implementer: { name: "Tom Fischer", email: "tom@p.example" },
    window: { start: "2026-12-05T22:00:00+01:00", end: "2026-12-06T02:00:00+01:00" },
    dbMigration: false,
    rollback: "",
    validation: [],
    ...over,
  };
}

type Spec = [
  who: string,
  role: string,
  opts?: { scope?: "deploy" | "db-migration"; reject?: boolean; digest?: string; discarded?: string },
];
function approvals(specs: readonly Spec[]): ApprovalEntry[] {
  return specs.map(([who, role, o = {}]) => ({
    approval: {
      change: "CHG-2026-0001",
      scope: o.scope ?? "deploy",
      decision: o.reject ? "rejected" : "approved",
      meaning: "Approved",
      signer: { name: names[who] ?? who, email: `${who}@p.example`, role },
      signedAt: "2026-12-01T09:00:00+01:00",
      changeDigest: o.digest ?? D1,
    } satisfies ApprovalDoc,
    discarded: o.discarded ?? null,
  }));
}

const cases: {
  name: string;
  change: ChangeDoc;
  approvals: Spec[];
  met: boolean;
  defeated?: boolean;
  summary: string;
  issues?: string[];
}[] = [
  {
    name: "nothing yet",
    change: change(),
    approvals: [],
    met: false,
    summary: "needs 2 cab-members and the Berlin plant-ops-leader",
  },
  {
    name: "a person holding two roles counts once",
    change: change(),
    approvals: [
      ["ana", "plant-ops-leader"],
      ["raj", "cab-member"],
    ],
    met: false,
    summary: "needs 1 more cab-member",
  },
  {
    name: "two cab-members and the plant leader",
    change: change(),
    approvals: [
      ["ana", "plant-ops-leader"],
      ["raj", "cab-member"],
      ["kenji", "cab-member"],
    ],
    met: true,
    summary: "approved",
  },
  {
    name: "perPlant across two plants: Chicago missing",
    change: change({ risk: "medium", plants: ["berlin", "chicago"] }),
    approvals: [
      ["sofia", "change-manager"],
      ["ana", "plant-ops-leader"],
    ],
    met: false,
    summary: "needs the Chicago plant-ops-leader",
  },
  {
    name: "perPlant across two plants: both present",
    change: change({ risk: "medium", plants: ["berlin", "chicago"] }),
    approvals: [
      ["sofia", "change-manager"],
      ["ana", "plant-ops-leader"],
      ["marcus", "plant-ops-leader"],
    ],
    met: true,
    summary: "approved",
  },
  {
    name: "the plant leader of another plant does not count",
    change: change({ risk: "medium", plants: ["chicago"] }),
    approvals: [
      ["sofia", "change-manager"],
      ["ana", "plant-ops-leader"],
    ],
    met: false,
    summary: "needs the Chicago plant-ops-leader",
  },
  {
    name: "db-migration approver also approving deploy",
    change: change({ dbMigration: true }),
    approvals: [
      ["dana", "dba", { scope: "db-migration" }],
      ["dana", "cab-member"],
      ["raj", "cab-member"],
      ["ana", "plant-ops-leader"],
    ],
    met: false,
    summary: "needs 1 more cab-member",
    issues: ["sod-conflict"],
  },
  {
    name: "db migration needs a dba",
    change: change({ dbMigration: true }),
    approvals: [
      ["kenji", "cab-member"],
      ["raj", "cab-member"],
      ["ana", "plant-ops-leader"],
    ],
    met: false,
    summary: "needs 1 dba for the db migration",
  },
  {
    name: "approval of an old revision is stale",
    change: change(),
    approvals: [
      ["ana", "plant-ops-leader"],
      ["raj", "cab-member"],
      ["kenji", "cab-member", { digest: D2 }],
    ],
    met: false,
    summary: "needs 1 more cab-member",
    issues: ["stale"],
  },
  {
    name: "a rejection the others can still outvote leaves the quorum open: the rejecter just does not count",
    change: change(),
    approvals: [
      ["ana", "plant-ops-leader"],
      ["raj", "cab-member"],
      ["kenji", "cab-member", { reject: true }],
    ],
    met: false,
    summary: "needs 1 more cab-member",
  },
  {
    name: "with enough others approving, a minority rejection does not stop the quorum",
    change: change(),
    approvals: [
      ["ana", "plant-ops-leader"],
      ["raj", "cab-member"],
      ["kenji", "cab-member", { reject: true }],
      ["sofia", "cab-member"],
    ],
    met: true,
    summary: "approved",
  },
  {
    name: "a rejection that leaves a rule no one to fill defeats the quorum (Berlin's only plant-ops-leader)",
    change: change(),
    approvals: [
      ["raj", "cab-member"],
      ["sofia", "cab-member"],
      ["ana", "plant-ops-leader", { reject: true }],
    ],
    met: false,
    defeated: true,
    summary: "rejected by Ana Ortiz",
  },
  {
    name: "a rejection by someone whose approval would not count does not stand",
    change: change(),
    approvals: [
      ["raj", "cab-member"],
      ["sofia", "cab-member"],
      ["marcus", "plant-ops-leader", { reject: true }],
    ],
    met: false,
    summary: "needs the Berlin plant-ops-leader",
    issues: ["role-not-held"],
  },
  {
    name: "a rejection followed by a revision no longer stands, but earlier approvals are stale too",
    change: change(),
    approvals: [
      ["ana", "plant-ops-leader", { digest: D2 }],
      ["raj", "cab-member"],
      ["kenji", "cab-member", { reject: true, digest: D2 }],
    ],
    met: false,
    summary: "needs 1 more cab-member and the Berlin plant-ops-leader",
    issues: ["stale", "stale"],
  },
  {
    name: "an emergency approved by the requester",
    change: change({ type: "emergency", requester: { name: "Raj Patel", email: "raj@p.example" } }),
    approvals: [
      ["raj", "it-manager"],
      ["ana", "plant-ops-leader"],
    ],
    met: false,
    summary: "needs 1 it-manager",
    issues: ["self-approval"],
  },
  {
    name: "the person a change was raised for does not count, as if they had requested it (issue #13)",
    change: change({ onBehalfOf: { name: "Kenji Sato", email: "kenji@p.example" } }),
    approvals: [
      ["ana", "plant-ops-leader"],
      ["raj", "cab-member"],
      ["kenji", "cab-member"],
    ],
    met: false,
    summary: "needs 1 more cab-member",
    issues: ["self-approval"],
  },
  {
    name: "the implementer may not approve",
    change: change({ implementer: { name: "Kenji Sato", email: "kenji@p.example" } }),
    approvals: [
      ["ana", "plant-ops-leader"],
      ["raj", "cab-member"],
      ["kenji", "cab-member"],
    ],
    met: false,
    summary: "needs 1 more cab-member",
    issues: ["self-approval"],
  },
  {
    name: "a claimed role not held does not count",
    change: change(),
    approvals: [
      ["ana", "plant-ops-leader"],
      ["raj", "cab-member"],
      ["marcus", "cab-member"],
    ],
    met: false,
    summary: "needs 1 more cab-member",
    issues: ["role-not-held"],
  },
  {
    name: "an approver holding conflicting roles does not count",
    change: change(),
    approvals: [
      ["ana", "plant-ops-leader"],
      ["raj", "cab-member"],
      ["bad", "cab-member"],
    ],
    met: false,
    summary: "needs 1 more cab-member",
    issues: ["sod-conflict"],
  },
  {
    name: "a discarded (unsigned) approval does not count",
    change: change(),
    approvals: [
      ["ana", "plant-ops-leader"],
      ["raj", "cab-member"],
      ["kenji", "cab-member", { discarded: "unsigned" }],
    ],
    met: false,
    summary: "needs 1 more cab-member",
    issues: ["discarded"],
  },
  {
    name: "an unprotected environment needs nothing",
    change: change({ environment: "qa" }),
    approvals: [],
    met: true,
    summary: "no approvals needed (environment not protected)",
  },
];

describe("evaluateQuorum", () => {
  it.each(cases)("$name", (c) => {
    const result = evaluateQuorum({ policy, change: c.change, digest: D1, approvals: approvals(c.approvals) });
    expect(result.summary).toBe(c.summary);
    expect(result.met).toBe(c.met);
    expect(result.defeated).toBe(c.defeated ?? false);
    expect(result.issues.map((i) => i.kind)).toEqual(c.issues ?? []);
  });

  it("says what is missing across two rules in one line", () => {
    const result = evaluateQuorum({
      policy,
      change: change({ plants: ["berlin", "chicago"] }),
      digest: D1,
      approvals: approvals([
        ["ana", "plant-ops-leader"],
        ["raj", "cab-member"],
      ]),
    });
    expect(result.summary).toBe("needs 1 more cab-member and the Chicago plant-ops-leader");
  });
});

describe("canApprove", () => {
  const table: {
    who: string;
    change: ChangeDoc;
    scope?: "deploy" | "db-migration";
    others?: Spec[];
    message: string;
  }[] = [
    { who: "tom", change: change(), message: "you cannot approve: you are the implementer" },
    { who: "lena", change: change(), message: "you cannot approve: you are the requester" },
    {
      who: "marcus",
      change: change(),
      message: "you cannot approve: you hold none of the roles it needs (cab-member, plant-ops-leader)",
    },
    { who: "kenji", change: change(), message: "" },
    { who: "nobody", change: change(), message: "you cannot approve: you are not in the repository's policy" },
    { who: "bad", change: change(), message: "you cannot approve: you hold conflicting roles (developer and dba)" },
    {
      who: "dana",
      change: change({ dbMigration: true }),
      others: [["dana", "dba", { scope: "db-migration" }]],
      message: "you cannot approve: you already approved the db migration",
    },
    {
      who: "raj",
      change: change({ type: "emergency", requester: { name: "Raj Patel", email: "raj@p.example" } }),
      message: "you cannot approve: you are the requester",
    },
  ];
  it.each(table)("$who: $message", (c) => {
    const others = approvals(c.others ?? []).map((e) => e.approval);
    const decision = canApprove(policy, c.change, `${c.who}@p.example`, c.scope ?? "deploy", others);
    expect(decision.message).toBe(c.message);
    expect(decision.allowed).toBe(c.message === "");
  });
});
