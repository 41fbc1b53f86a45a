/** The `calendar.*` methods of the contract. */
export const calendarMethods = {} as const;
