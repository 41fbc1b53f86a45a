import type { SmokePolicy } from "../../../shared/domain/policy/smoke-policy";
import type { Clock } from "../clock";
import { runSmoke } from "./smoke";
import type { SmokeOdoo } from "./smoke-odoo";
import { moduleStates } from "./smoke-read";

/** Odoo's verdict on a release the cluster passed: the change closes only when this says passed. */
export type OdooReleaseVerdict =
  | { readonly state: "passed"; readonly message: string }
  | { readonly state: "failed"; readonly message: string }
  /** Odoo could not be asked (unreachable, no key): validation waits, and fails at the deadline. */
  | { readonly state: "pending"; readonly message: string }
  /** The environment has no Odoo connection: the cluster's verdict stands alone, and the message says so. */
  | { readonly state: "not-configured"; readonly message: string };

/** What the release intended: the Odoo series its images' tags name (odoo:17.0-20261201 → 17.0), if any. */
export function intendedSeries(images: readonly string[]): string | null {
  for (const image of images) {
    const tag = image.split("@")[0]?.split("/").pop()?.split(":")[1];
    const series = tag?.match(/^(\d{2,}\.\d+)(?:$|[-+._])/)?.[1];
    if (series) return series;
  }
  return null;
}

/** The series a server_version reports: "17.0", "17.0+e", "saas~17.2" → "17.0"/"17.2". */
function seriesOfServer(version: string): string {
  return version.replace(/^saas~/, "").match(/^\d+\.\d+/)?.[0] ?? version;
}

/** Extra checks o18-core's gate checks add for the environment (the presets and the plant's own). */
export type ReleaseGateChecks = (
  odoo: SmokeOdoo,
) => Promise<readonly { readonly name: string; readonly passed: boolean; readonly message: string }[]>;

/**
 * Judges a release from Odoo's side: the server runs the series the release's image names; every module is
 * installed with the database upgraded to the code the image ships (none "to upgrade"/"to install", no installed
 * module whose manifest version is ahead of the database); the read-only smoke set and the gate checks pass.
 */
export async function judgeOdooRelease(
  odoo: SmokeOdoo,
  release: {
    readonly environment: string;
    readonly images: readonly string[];
    readonly policy: SmokePolicy;
    readonly clock: Clock;
    readonly gateChecks?: ReleaseGateChecks;
  },
): Promise<OdooReleaseVerdict> {
  const problems: string[] = [];
  const series = intendedSeries(release.images);
  if (series !== null && seriesOfServer(odoo.serverVersion) !== series) {
    problems.push(`Odoo reports server version ${odoo.serverVersion}, the release brings ${series}`);
  }
  const modules = await moduleStates(odoo);
  if (modules.unfinished.length > 0) {
    problems.push(`modules not finished: ${modules.unfinished.slice(0, 10).join(", ")}`);
  }
  if (modules.behind.length > 0) {
    problems.push(
      `modules whose database was not upgraded to the released code: ${modules.behind.slice(0, 10).join(", ")}`,
    );
  }
  const smoke = await runSmoke(odoo, {
    environment: release.environment,
    mode: "read-only",
    policy: release.policy,
    clock: release.clock,
  });
  for (const step of smoke.steps.filter((s) => !s.ok && s.name !== "installed modules")) {
    problems.push(`smoke "${step.name}": ${step.detail}`);
  }
  for (const check of (await release.gateChecks?.(odoo)) ?? []) {
    if (!check.passed) problems.push(`check "${check.name}": ${check.message}`);
  }
  if (problems.length > 0) {
    return { state: "failed", message: `Odoo disagrees: ${problems.join("; ")}.`.slice(0, 1500) };
  }
  return {
    state: "passed",
    message: `Odoo ${odoo.serverVersion} agrees: ${modules.installed} modules installed and upgraded, smoke set and checks passed.`,
  };
}

/** What the release follower needs to ask an environment's Odoo. */
interface OdooReleaseDeps {
  /** The environment's Odoo, or null when no connection is set up there. */
  readonly open: (environment: string) => Promise<SmokeOdoo | null>;
  readonly policy: () => SmokePolicy;
  readonly clock: Clock;
  readonly gateChecks?: (environment: string) => ReleaseGateChecks;
}

/** Odoo's side of post-release validation, as the release follower (cluster/pending-releases.ts) asks it. */
export function odooReleaseValidation(deps: OdooReleaseDeps) {
  return async (release: {
    readonly environment: string;
    readonly images: readonly string[];
  }): Promise<OdooReleaseVerdict> => {
    const odoo = await deps.open(release.environment);
    if (odoo === null) {
      return {
        state: "not-configured",
        message: `Odoo was not asked: no Odoo connection is set up for ${release.environment}.`,
      };
    }
    return judgeOdooRelease(odoo, {
      environment: release.environment,
      images: release.images,
      policy: deps.policy(),
      clock: deps.clock,
      gateChecks: deps.gateChecks?.(release.environment),
    });
  };
}
