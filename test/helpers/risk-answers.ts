// One set of risk answers for every kind of test (Vitest and Playwright alike: no test framework imported here).

/** Risk answers as risk.assess takes them: yes/no, a count, or the integrations touched. */
export type RiskAnswers = Record<string, boolean | number | string[]>;

/** Answers to every risk question that score low; override the ones that make a change riskier. */
export function lowRiskAnswers(overrides: RiskAnswers = {}): RiskAnswers {
  return {
    "production-hours": false,
    "db-migration": false,
    "tested-preproduction": true,
    "rollback-rehearsed": true,
    integrations: [],
    plants: 1,
    "close-period": false,
    ...overrides,
  };
}
