import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { type KnownPlants, parsePolicy } from "../../../shared/domain/policy/index";
import type { Db } from "../register/db";
import { listPlants } from "./plant-store";

/**
 * The plants a change may name. The policy in force (`.shiftgate/policy.yaml` in the GitOps working copy) when it
 * lists `plants:`; otherwise (no working copy, as for a bare register, or a policy written before plants were listed)
 * the plants the register's calendar holds. One list for create, update, import and `calendar check --changes`.
 */
export function knownPlants(db: Db, gitopsDir: string | null): KnownPlants {
  const file = gitopsDir === null ? null : join(gitopsDir, ".shiftgate", "policy.yaml");
  if (gitopsDir !== null && file !== null && existsSync(join(gitopsDir, ".git")) && existsSync(file)) {
    const listed = policyPlants(file);
    if (listed !== undefined) return { source: "policy", plants: listed };
  }
  return {
    source: "calendar",
    plants: listPlants(db).map((p) => ({ id: p.id, name: p.name, timeZone: p.timeZone })),
  };
}

function policyPlants(file: string): KnownPlants["plants"] | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    return parsePolicy(text, file).plants;
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    throw new AppError(
      "unavailable",
      `The known plants are read from ${file}, which is not a valid policy (${problem}). Fix policy.yaml in the ` +
        "GitOps repository (or pull the fixed version), then try again.",
      { reason: "policy-invalid", file },
    );
  }
}

/** The plant ids the calendars beside a policy file are named for (`<dir of policy.yaml>/calendars/<id>.ics`). */
export function calendarIdsBeside(policyFile: string): readonly string[] {
  const dir = join(dirname(policyFile), "calendars");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ics"))
    .map((f) => f.slice(0, -".ics".length))
    .sort();
}
