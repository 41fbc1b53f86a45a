#!/usr/bin/env node
// `npm run test:race [-- SEED...]`: the three-laptop race (issue #17's acceptance) at its full 200 operations, once
// per seed: 1717, 99, 4242 and one random seed by default. Each run prints its seed first (a random one is drawn
// here, so a failure can be replayed with SHIFTGATE_RACE_SEED=<seed>), then whether it passed and how long it took.
// Runs one after another: each already keeps three laptops' git processes busy. Exit code 1 if any seed failed.
import { spawnSync } from "node:child_process";

const TEST = "test/integration/sync/three-laptops-race.test.ts";
const asked = process.argv.slice(2);
const seeds = (asked.length > 0 ? asked : ["1717", "99", "4242", "random"]).map((s) =>
  s === "random" ? String(Math.floor(Math.random() * 2 ** 31)) : s,
);
const ops = process.env.SHIFTGATE_RACE_OPS ?? "200";
const results = [];
for (const seed of seeds) {
  console.log(`\n== three-laptop race: seed ${seed}, ${ops} operations (SHIFTGATE_RACE_SEED=${seed} replays it)`);
  const started = Date.now();
  const run = spawnSync("npx", ["vitest", "run", "--project", "integration", TEST], {
    stdio: "inherit",
    env: { ...process.env, SHIFTGATE_RACE_SEED: seed, SHIFTGATE_RACE_OPS: ops },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  results.push({ seed, ok: run.status === 0, seconds });
  console.log(`== seed ${seed}: ${run.status === 0 ? "passed" : "FAILED"} in ${seconds} s`);
}
console.log("\nthree-laptop race at", ops, "operations:");
for (const r of results) console.log(`  seed ${r.seed.padEnd(11)} ${r.ok ? "passed" : "FAILED"}  ${r.seconds} s`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
