// One set of risk answers for every kind of test (Vitest and Playwright alike: no test framework imported here).

/** Risk answers as risk.assess takes them: yes/no, a count, or the integrations touched. */
export type RiskAnswers = Record<string, boolean | number | string[]>;

/**
 * Answers that score low to the questions a person declares; override the ones that make a change riskier. The
 * questions the change's own facts answer (how many plants, a database migration) are left for the app to fill in:
 * a different answer would be refused as contradicting the change.
 */
export function lowRiskAnswers(overrides: RiskAnswers = {}): RiskAnswers {
  return {
    "production-hours": false,
    "tested-preproduction": true,
    "rollback-rehearsed": true,
    integrations: [],
    "close-period": false,
    ...overrides,
  };
}
