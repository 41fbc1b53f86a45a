import type { Command } from "./index";

/** The `shiftgate cluster ...` sub-commands. */
export const clusterCommands: readonly Command[] = [];
