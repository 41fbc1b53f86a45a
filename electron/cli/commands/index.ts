import type { CliIo, ExitCode } from "../io";
import { approvalsCommands } from "./approvals";
import { calendarCommands } from "./calendar";
import { clusterCommands } from "./cluster";
import { gitopsCommands } from "./gitops";
import { odooCommands } from "./odoo";
import { odooSmokeCommands } from "./odoo-smoke";
import { registerCommands } from "./register";
import { reportsCommands } from "./reports";
import { statusCommand } from "./status";
import { webCommand } from "./web";

/** One `shiftgate` sub-command: its words, a one-line summary for --help, and its runner. */
export interface Command {
  readonly words: readonly string[];
  readonly usage: string;
  readonly summary: string;
  readonly run: (argv: readonly string[], io: CliIo) => Promise<ExitCode>;
}

/** Every sub-command; capabilities add theirs here. */
export const commands: readonly Command[] = [
  {
    words: ["status"],
    usage: "status [--data-dir DIR] [--db FILE] [--json]",
    summary: "Version, register, GitOps repository and time zone of this install",
    run: statusCommand,
  },
  {
    words: ["web"],
    usage: "web [--port N] [--host 127.0.0.1|::1] [--data-dir DIR] [--static DIR] [--token-file FILE]",
    summary: "Serve the app in a browser on 127.0.0.1 (prints the URL with its one-run token)",
    run: webCommand,
  },
  ...registerCommands,
  ...approvalsCommands,
  ...calendarCommands,
  ...gitopsCommands,
  ...clusterCommands,
  ...reportsCommands,
  ...odooSmokeCommands,
  ...odooCommands,
];
