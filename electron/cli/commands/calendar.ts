import type { Command } from "./index";

/** The `shiftgate calendar ...` sub-commands. */
export const calendarCommands: readonly Command[] = [];
