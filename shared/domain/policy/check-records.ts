// An Odoo check run travels as a signed gate record carrying its run file as evidence under this name (the app
// writes it, verify reads it): that is how the ledger tells a measured result from a result typed by hand.

/** The evidence file name of one gate's part of an Odoo check run in an environment. */
export function checkEvidenceName(stage: string, gate: string): string {
  return `odoo-check-${stage}-${gate}.json`;
}

/** Whether a gate record is an Odoo check run's (its own stage and gate's run file is among its evidence). */
export function isCheckRunRecord(doc: {
  readonly stage: string;
  readonly gate: string;
  readonly evidence: readonly { readonly filename: string }[];
}): boolean {
  const name = checkEvidenceName(doc.stage, doc.gate);
  return doc.evidence.some((e) => e.filename === name);
}
