import { describe, expect, it } from "vitest";
import {
  parseStandardTemplate,
  scopeProblems,
  writeStandardTemplate,
} from "../../../../../shared/domain/policy/standard-templates";
import { TEST_TEMPLATE } from "../../../../helpers/standard-catalogue";

const inside = {
  area: "warehouse",
  plants: ["berlin"],
  environment: "production",
  risk: "low",
  dbMigration: false,
} as const;

describe("standard-change templates", () => {
  it("a written template reads back the same", () => {
    expect(parseStandardTemplate(writeStandardTemplate(TEST_TEMPLATE), TEST_TEMPLATE.id)).toEqual(TEST_TEMPLATE);
  });

  it("a template that pre-approves a database migration, or names another id than its file, does not read", () => {
    const migrating = writeStandardTemplate(TEST_TEMPLATE).replace("dbMigration: false", "dbMigration: true");
    expect(() => parseStandardTemplate(migrating, TEST_TEMPLATE.id)).toThrow(/dbMigration/);
    expect(() => parseStandardTemplate(writeStandardTemplate(TEST_TEMPLATE), "other")).toThrow(/does not match/);
  });

  it("names every limit a change leaves, and nothing for a change inside", () => {
    expect(scopeProblems(TEST_TEMPLATE, inside)).toEqual([]);
    expect(scopeProblems(TEST_TEMPLATE, { ...inside, risk: null })).toEqual([]);
    const problems = scopeProblems(TEST_TEMPLATE, {
      area: "mrp",
      plants: ["berlin", "pune"],
      environment: "development",
      risk: "medium",
      dbMigration: true,
    });
    expect(problems).toEqual([
      "plants pune are outside its plants (berlin, chicago)",
      "environment development is not one of its environments (qa, preproduction, production)",
      "area mrp is outside its scope (warehouse)",
      "risk medium is above its maximum risk low",
      "a database migration is never part of a standard change",
    ]);
  });
});
