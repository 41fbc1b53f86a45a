/** The `register.*` methods of the contract. */
export const registerMethods = {} as const;
