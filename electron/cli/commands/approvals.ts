import type { Command } from "./index";

/** The `shiftgate approvals ...` sub-commands. */
export const approvalsCommands: readonly Command[] = [];
