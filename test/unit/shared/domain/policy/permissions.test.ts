import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../../../../shared/domain/policy/documents";
import { type ChangeParties, mayAct, transitionAction } from "../../../../../shared/domain/policy/permissions";

// policy.yaml `actions:` over the defaults (docs/gitops-repo.md, "Who may do what").
const CHANGE: ChangeParties = {
  requester: "lena@plant.example",
  onBehalfOf: "ana@plant.example",
  implementer: "tom@plant.example",
  protectedEnvironment: true,
};
const person = (email: string, ...roles: string[]) => ({ email, roles });

describe("who may take an action", () => {
  it("the defaults: the requester (and the person it was raised for) or a change-manager cancels; no one else", () => {
    expect(mayAct({}, "change.cancel", person("LENA@plant.example"), CHANGE)).toBe(true);
    expect(mayAct({}, "change.cancel", person("ana@plant.example"), CHANGE)).toBe(true);
    expect(mayAct({}, "change.cancel", person("sofia@plant.example", "change-manager"), CHANGE)).toBe(true);
    expect(mayAct({}, "change.cancel", person("tom@plant.example", "release-manager"), CHANGE)).toBe(false);
  });

  it("a policy's actions replace the default for that action only", () => {
    const rules = { "change.cancel": ["it-manager"] };
    expect(mayAct(rules, "change.cancel", person("lena@plant.example"), CHANGE)).toBe(false);
    expect(mayAct(rules, "change.cancel", person("raj@plant.example", "it-manager"), CHANGE)).toBe(true);
    expect(mayAct(rules, "change.submit", person("lena@plant.example"), CHANGE)).toBe(true);
  });

  it("the requester records no gate on a protected environment, whatever roles, unless the policy names requester", () => {
    const lena = person("lena@plant.example", "release-manager");
    expect(mayAct({}, "gate.record", lena, CHANGE)).toBe(false);
    expect(mayAct({}, "gate.record", lena, { ...CHANGE, protectedEnvironment: false })).toBe(true);
    expect(mayAct({ "gate.record": ["requester"] }, "gate.record", lena, CHANGE)).toBe(true);
  });

  it("derived states are no one's action", () => {
    expect(transitionAction("awaiting-approval", "approved")).toBeNull();
    expect(transitionAction("validating", "closed")).toBeNull();
    expect(transitionAction("failed", "closed")).toBe("change.close");
  });

  it("policy.yaml refuses an action it does not know", () => {
    const base = "version: 1\napprovals: {}\n";
    expect(parsePolicy(`${base}actions: {change.cancel: [change-manager]}\n`).actions).toEqual({
      "change.cancel": ["change-manager"],
    });
    expect(() => parsePolicy(`${base}actions: {change.approve: [anyone]}\n`)).toThrow();
  });
});
