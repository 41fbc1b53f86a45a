import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoPolicy } from "../../../../../electron/core/gitops/demo-policy";
import { policyRoleDirectory } from "../../../../../electron/core/register/policy-roles";
import { type Policy, parsePolicy, writePolicy } from "../../../../../shared/domain/policy/index";
import { tempDir } from "../../../../helpers/temp";

const SOFIA = "sofia.rossi@plant.example";

function policyText(sofiaRoles: readonly string[]): string {
  const base = demoPolicy();
  return writePolicy({
    ...base,
    people: base.people.map((p) => (p.email === SOFIA ? { ...p, roles: [...sofiaRoles] } : p)),
  });
}

let dir: string;
let cleanup: () => void;
let parses: number;
let demoAsked: number;
const countingParse = (text: string): Policy => {
  parses++;
  return parsePolicy(text);
};
beforeEach(() => {
  ({ dir, cleanup } = tempDir("shiftgate-roles-"));
  parses = 0;
  demoAsked = 0;
});
afterEach(() => cleanup());

function workingCopy(text: string): string {
  execFileSync("git", ["init", "--quiet", dir]);
  mkdirSync(join(dir, ".shiftgate"), { recursive: true });
  const file = join(dir, ".shiftgate", "policy.yaml");
  writeFileSync(file, text);
  return file;
}

function directory(gitopsDir: string | null, demo = false) {
  return policyRoleDirectory({
    gitopsDir,
    isDemo: () => {
      demoAsked++;
      return demo;
    },
    parse: countingParse,
  });
}

describe("policyRoleDirectory", () => {
  it("parses the policy once for many lookups, and never asks whether the register is the demo", () => {
    workingCopy(policyText(["change-manager"]));
    const roles = directory(dir, true);
    expect(roles(SOFIA)).toEqual(["change-manager"]);
    expect(roles(SOFIA.toUpperCase())).toEqual(["change-manager"]);
    expect(roles("nobody@plant.example")).toEqual([]);
    expect(parses).toBe(1);
    expect(demoAsked).toBe(0);
  });

  it("picks up an edited policy, and does not re-parse a file rewritten with the same bytes", () => {
    const file = workingCopy(policyText(["change-manager"]));
    const roles = directory(dir);
    expect(roles(SOFIA)).toEqual(["change-manager"]);
    writeFileSync(file, policyText(["cab-member"]));
    expect(roles(SOFIA)).toEqual(["cab-member"]);
    expect(parses).toBe(2);
    writeFileSync(file, policyText(["cab-member"]));
    expect(roles(SOFIA)).toEqual(["cab-member"]);
    expect(parses).toBe(2);
  });

  it("refuses while the policy is invalid, without re-parsing it each time, and recovers once it is fixed", () => {
    const file = workingCopy("version: 2\n");
    const roles = directory(dir, true);
    for (let i = 0; i < 3; i++) {
      expect(() => roles(SOFIA)).toThrow(
        expect.objectContaining({
          code: "unavailable",
          details: expect.objectContaining({ reason: "policy-invalid" }),
        }),
      );
    }
    expect(parses).toBe(1);
    writeFileSync(file, policyText(["change-manager"]));
    expect(roles(SOFIA)).toEqual(["change-manager"]);
    expect(demoAsked).toBe(0);
  });

  it("refuses while the working copy has no policy.yaml, even for the demo register", () => {
    execFileSync("git", ["init", "--quiet", dir]);
    expect(() => directory(dir, true)(SOFIA)).toThrow(
      expect.objectContaining({ code: "unavailable", details: expect.objectContaining({ reason: "policy-missing" }) }),
    );
  });

  it("without a working copy: the demo roster for the demo register, else a refusal that says what to do", () => {
    for (const gitopsDir of [null, join(dir, "gitops", "work")]) {
      expect(directory(gitopsDir, true)(SOFIA)).toEqual(["cab-member", "change-manager"]);
      expect(() => directory(gitopsDir, false)(SOFIA)).toThrow(/no GitOps working copy.*record the waiver again/s);
    }
    // A policy.yaml lying in a folder that is no git working copy is not the GitOps repository's.
    mkdirSync(join(dir, ".shiftgate"));
    writeFileSync(join(dir, ".shiftgate", "policy.yaml"), policyText([]));
    expect(directory(dir, true)(SOFIA)).toEqual(["cab-member", "change-manager"]);
    expect(parses).toBe(0);
  });
});
