import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CapabilityFile, capabilityFiles, REPO_ROOT } from "../helpers/source-graph";

// Issue #20 item 3: a capability owns its tables; the others call its typed functions. The tables are the ones the
// register's migrations create; each has one owner below (a migration that adds a table without naming its owner
// here fails). Every SQL text in a capability's files (a string or template literal that reads as SQL) may name
// only that capability's tables: what gitops, exceptions, approvals, meeting and odoo wrote or read of the
// register's changes, gates and risk_assessments goes through register/ledger-writes.ts and ledger-reads.ts.

const OWNER: Readonly<Record<string, string>> = {
  audit: "register",
  changes: "register",
  changes_new: "register",
  change_plants: "register",
  change_aliases: "register",
  comments: "register",
  gates: "register",
  evidence: "register",
  blobs: "register",
  evidence_records: "register",
  risk_assessments: "register",
  approvals: "approvals",
  approval_outcomes: "approvals",
  exceptions: "exceptions",
  exception_reviews: "exceptions",
  plants: "calendar",
  plant_bits: "register",
  gitops_outbox: "gitops",
  gitops_outbox_new: "gitops",
  cluster_environments: "cluster",
  meetings: "meeting",
  meeting_attendees: "meeting",
  meeting_items: "meeting",
  meeting_decisions: "meeting",
  home_notifications: "home",
  odoo_check_runs: "odoo",
  odoo_connections: "odoo",
};

// The settings table is a key-value store every capability keeps its own keys in (identity's selected key,
// cluster's contexts, calendar's rights): shared by design, not owned.
const SHARED = new Set(["settings"]);

const MIGRATIONS = join(REPO_ROOT, "electron", "core", "register", "migrations");

function migrationTables(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql"))) {
    const sql = readFileSync(join(MIGRATIONS, file), "utf8");
    for (const m of sql.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_]+)/gi)) names.add(m[1] ?? "");
  }
  return [...names].sort();
}

const LITERAL = /(["'`])((?:\\.|(?!\1)[\s\S])*?)\1/g;
const SQL_VERB = /\b(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER)\b/;
const TABLE_AFTER = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_]+)/g;

/** The tables a file's SQL texts name, each with what the SQL does to it ("read" or "write"). */
function tablesNamed(file: CapabilityFile): { readonly table: string; readonly write: boolean }[] {
  const out: { table: string; write: boolean }[] = [];
  for (const literal of file.text.matchAll(LITERAL)) {
    const text = literal[2] ?? "";
    if (!SQL_VERB.test(text)) continue;
    for (const m of text.matchAll(TABLE_AFTER)) {
      const table = m[1] ?? "";
      const write = new RegExp(`\\b(?:INTO|UPDATE|DELETE\\s+FROM|TABLE)\\s+${table}\\b`).test(text);
      out.push({ table, write });
    }
  }
  return out;
}

describe("a capability's SQL names only its own tables", () => {
  const files = capabilityFiles();
  const foreign = files.flatMap((file) =>
    tablesNamed(file)
      .filter(({ table }) => table in OWNER && !SHARED.has(table) && OWNER[table] !== file.capability)
      .map(({ table, write }) => ({ at: `${file.path}: ${table}`, write })),
  );

  it("every table the migrations create has one owner (or is shared by design)", () => {
    const tables = migrationTables();
    expect(tables.filter((t) => !(t in OWNER) && !SHARED.has(t))).toEqual([]);
    expect(Object.keys(OWNER).filter((t) => !tables.includes(t))).toEqual([]);
  });

  it("finds a write to another capability's table (the check itself works)", () => {
    const probe: CapabilityFile = {
      path: "electron/core/gitops/probe.ts",
      capability: "gitops",
      text: 'db.prepare("UPDATE changes SET number = ? WHERE id = ?").run(n, id);',
    };
    expect(tablesNamed(probe)).toEqual([{ table: "changes", write: true }]);
  });

  it("no capability writes another capability's table", () => {
    expect(foreign.filter((f) => f.write).map((f) => f.at)).toEqual([]);
  });

  it("no capability reads another capability's table", () => {
    expect(foreign.filter((f) => !f.write).map((f) => f.at)).toEqual([]);
  });
});
