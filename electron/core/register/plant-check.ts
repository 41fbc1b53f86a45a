import { AppError } from "../../../shared/contract/errors";
import { type KnownPlants, unknownPlantMessage, unknownPlants } from "../../../shared/domain/policy/index";
import { knownPlants } from "../calendar/known-plants";
import type { OpEnv } from "./ops-env";

/** The plants this operation may name: the env's source (policy in force) when given, else the register's calendar. */
export function plantsOf(env: Pick<OpEnv, "db" | "plants">): KnownPlants {
  return env.plants ? env.plants() : knownPlants(env.db, null);
}

/**
 * Refuses a change naming a plant that is not known (issue #13 item 7): a typo such as 'berlinn' would otherwise draw a
 * phantom calendar lane, skip every shift check and appear in the figures. `field` is the input path to report.
 */
export function assertKnownPlants(
  env: Pick<OpEnv, "db" | "plants">,
  plants: readonly string[] | undefined,
  field = "plants",
): void {
  if (!plants || plants.length === 0) return;
  const known = plantsOf(env);
  const unknown = unknownPlants(known.plants, plants);
  const first = unknown[0];
  if (first === undefined) return;
  throw new AppError("invalid-input", unknownPlantMessage(first, known.plants), {
    field,
    unknown: [...unknown],
    known: known.plants.map((p) => p.id),
    source: known.source,
  });
}
