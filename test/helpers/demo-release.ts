import { DEMO_IMAGE, demoDigest } from "../../electron/core/gitops/demo-policy";
import type { GitopsRepo } from "../../electron/core/gitops/repo";
import type { Signer } from "../../electron/core/gitops/signing";
import { releaseChange } from "./ledger-writes";

/**
 * A release the demo repository lets reach production: CHG-0001's image, which the demo promoted through qa and
 * pre-production, named by digest (a protected environment refuses a tag alone).
 */
export const PROMOTED_RELEASE = {
  image: DEMO_IMAGE,
  tag: "17.0-20261120",
  digest: demoDigest("17.0-20261120"),
} as const;

/**
 * Releases a demo change's image (its tag's demo digest) to qa, then pre-production, one signed commit each at
 * `date`: afterwards production may take that digest. Returns the digest.
 */
export async function promoteToPreproduction(
  repo: GitopsRepo,
  signer: Signer,
  change: string,
  tag: string,
  date?: Date,
): Promise<string> {
  const digest = demoDigest(tag);
  for (const environment of ["qa", "preproduction"])
    await releaseChange(repo, signer, { change, environment, image: DEMO_IMAGE, newTag: tag, digest, date });
  return digest;
}
