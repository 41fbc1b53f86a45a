import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  type StandardTemplate,
  templatePath,
  writeStandardTemplate,
} from "../../shared/domain/policy/standard-templates";

/** A template covering the register fixtures' newChange() (warehouse, Berlin, production, low risk). */
export const TEST_TEMPLATE: StandardTemplate = {
  id: "warehouse-routes",
  title: "Warehouse route tuning",
  areas: ["warehouse"],
  plants: ["berlin", "chicago"],
  environments: ["qa", "preproduction", "production"],
  maxRisk: "low",
  dbMigration: false,
  steps: ["Change the route rules in QA and run a pick", "Apply in production between shifts"],
};

/**
 * Commits a standard-change catalogue into a plain working copy at `dir` (created when missing): the register reads
 * the catalogue as committed at HEAD. The commit is unsigned; only verify cares who signed it.
 */
export function commitCatalogue(dir: string, templates: readonly StandardTemplate[] = [TEST_TEMPLATE]): void {
  const run = (args: readonly string[]) =>
    execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@plant.example", ...args], {
      cwd: dir,
      env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
      stdio: "pipe",
    });
  mkdirSync(dir, { recursive: true });
  run(["init", "--quiet", "--initial-branch=main"]);
  for (const t of templates) {
    const file = join(dir, templatePath(t.id));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, writeStandardTemplate(t));
  }
  run(["add", "-A"]);
  run(["commit", "--quiet", "--allow-empty", "-m", "Standard-change catalogue"]);
}
