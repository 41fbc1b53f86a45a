import { expect } from "vitest";

// What `gitops verify` reports on the demo repository on purpose (docs/gitops-repo.md, "The demo repository"): the
// label layout change (CHG-…-0020) went to pre-production and production without its approvals, and a released
// emergency (CHG-…-0005, CHG-…-0021) owes its retrospective review once the review falls due.
const DELIBERATE: readonly (readonly [string, RegExp])[] = [
  ["quorum-not-met", /-0020$/],
  ["review-overdue", /-00(05|21)$/],
];

/** Expects a verify result on the demo to hold only the findings the demo shows on purpose. */
export function expectOnlyDemoFindings(result: {
  readonly findings: readonly { readonly kind: string; readonly change: string | null }[];
}): void {
  const other = result.findings.filter(
    (f) => !DELIBERATE.some(([kind, id]) => f.kind === kind && id.test(f.change ?? "")),
  );
  expect(other).toEqual([]);
}
