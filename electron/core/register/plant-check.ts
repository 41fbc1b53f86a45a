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
 * A register that knows no plant yet (see below) accepts any, as before.
 */
export function assertKnownPlants(
  env: Pick<OpEnv, "db" | "plants">,
  plants: readonly string[] | undefined,
  field = "plants",
): void {
  if (!plants || plants.length === 0) return;
  const known = plantsOf(env);
  // A bare register that knows no plant at all (no policy listing them, no calendar imported) has no plant network to
  // check against yet; the first calendar import or policy.yaml's plants: turns the check on.
  if (known.plants.length === 0) return;
  const unknown = unknownPlants(known.plants, plants);
  const first = unknown[0];
  if (first === undefined) return;
  const message = unknownPlantMessage(first, known.plants);
  throw new AppError("invalid-input", message, {
    field,
    // The shape contract validation uses, so the change form shows the refusal beside its plant picker.
    issues: [{ path: field, message }],
    unknown: [...unknown],
    known: known.plants.map((p) => p.id),
    source: known.source,
  });
}
