import { z } from "zod";
import type { Policy, PolicyProblem } from "../../domain/policy/index";
import { method } from "../define";

/** One verify finding (specs/gitops-repo.md). */
export interface GitopsFinding {
  readonly commit: string;
  readonly change: string | null;
  readonly kind: string;
  readonly severity: "error" | "warning";
  readonly message: string;
}

/** What `gitops.verify` returns: exactly the `shiftgate gitops verify --json` document. */
export interface GitopsVerifyResult {
  readonly ok: boolean;
  readonly checked: number;
  readonly findings: readonly GitopsFinding[];
}

/** The policy in the working copy, with the defects `policy check` finds in it. */
export interface GitopsPolicyView {
  readonly policy: Policy;
  readonly problems: readonly PolicyProblem[];
}

/** What `gitops.createDemo` built. */
export interface GitopsDemoResult {
  readonly remote: string;
  readonly workingCopy: string;
  readonly changes: readonly { readonly id: string; readonly state: string }[];
}

/** The `gitops.*` methods of the contract. */
export const gitopsMethods = {
  "gitops.verify": method<GitopsVerifyResult>()({
    input: z
      .object({
        rev: z.string().min(1).optional(),
        now: z.iso.datetime({ offset: true }).optional(),
        trustRoot: z.string().min(1).optional(),
      })
      .strict(),
    mutates: false,
  }),
  "gitops.policy": method<GitopsPolicyView>()({ input: z.object({}).strict(), mutates: false }),
  "gitops.createDemo": method<GitopsDemoResult>()({
    input: z.object({ replace: z.boolean().default(false) }).strict(),
    mutates: false,
  }),
} as const;
