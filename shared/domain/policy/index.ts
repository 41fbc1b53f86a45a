export * from "./can-approve";
export * from "./documents";
export * from "./glob";
export * from "./people";
export * from "./permissions";
export * from "./policy-check";
export * from "./quorum";
export * from "./schemas";
