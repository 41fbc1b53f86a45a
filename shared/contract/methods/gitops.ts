/** The `gitops.*` methods of the contract. */
export const gitopsMethods = {} as const;
