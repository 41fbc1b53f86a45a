/** The `cluster.*` methods of the contract. */
export const clusterMethods = {} as const;
