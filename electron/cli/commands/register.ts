import type { Command } from "./index";

/** The `shiftgate register ...` sub-commands. */
export const registerCommands: readonly Command[] = [];
