import { afterAll, beforeAll } from "vitest";
import { demoPolicy } from "../../electron/core/gitops/demo-policy";
import { DEMO_PEOPLE } from "../../shared/domain/demo/roster";
import { createWorld, script, testChange, type World } from "./gitops-world";

// The repository the gate-file verify tests share: a policy naming the demo's five gates, one change approved by
// the demo's quorum, and the people who record and waive its gates.

export const GATE_CHANGE = "CHG-2026-0001";
/** The clock verify judges the gate tests by (after every record they write). */
export const GATE_NOW = new Date("2026-12-06T08:00:00Z");
export const ANA = { name: "Ana Ortiz", email: "ana.ortiz@plant.example", role: "plant-ops-leader" };
export const SOFIA = { name: "Sofia Rossi", email: "sofia.rossi@plant.example", role: "change-manager" };

/** A world whose policy names the demo's gates, made before the file's tests and removed after them. */
export function gatesWorld(): () => World {
  let world: World | undefined;
  beforeAll(async () => {
    world = await createWorld("ssh", demoPolicy(DEMO_PEOPLE, "ssh", { gates: true }));
  });
  afterAll(() => world?.cleanup());
  return () => {
    if (!world) throw new Error("the gates world is made in beforeAll");
    return world;
  };
}

/** A fresh clone where GATE_CHANGE is submitted and approved by two CAB members and the plant-ops leader. */
export async function approvedGateChange(world: World, name: string) {
  const repo = await world.clone(name);
  const s = script(world, repo);
  const { digest } = await s.submit(testChange(GATE_CHANGE));
  await s.decide(GATE_CHANGE, digest, "raj.patel@plant.example", "cab-member");
  await s.decide(GATE_CHANGE, digest, "kenji.sato@plant.example", "cab-member");
  await s.decide(GATE_CHANGE, digest, "ana.ortiz@plant.example", "plant-ops-leader");
  return { repo, s };
}
