import type { Command } from "./index";

/** The `shiftgate gitops ...` sub-commands. */
export const gitopsCommands: readonly Command[] = [];
