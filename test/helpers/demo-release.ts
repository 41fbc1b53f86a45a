import { DEMO_IMAGE, demoDigest } from "../../electron/core/gitops/demo-policy";

/**
 * A release the demo repository lets reach production: CHG-0001's image, which the demo promoted through qa and
 * pre-production, named by digest (a protected environment refuses a tag alone).
 */
export const PROMOTED_RELEASE = {
  image: DEMO_IMAGE,
  tag: "17.0-20261120",
  digest: demoDigest("17.0-20261120"),
} as const;
