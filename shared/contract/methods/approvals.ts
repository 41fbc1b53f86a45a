/** The `approvals.*` methods of the contract. */
export const approvalsMethods = {} as const;
