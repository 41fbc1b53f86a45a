import type { AppStatus } from "../../../shared/contract/index";
import { parseFlags } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import { openCliCore } from "../open-core";

/** `shiftgate status [--data-dir DIR] [--db FILE] [--json]`: what this install is and where its data lives. */
export async function statusCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    json: { type: "boolean" },
    "data-dir": { type: "string" },
    db: { type: "string" },
  });
  const core = await openCliCore(io, flags["data-dir"], flags.db);
  try {
    const result = await core.call("app.status", {}, "cli");
    if (!result.ok) {
      io.stderr(`shiftgate status: ${result.error.message}\n`);
      return 2;
    }
    const status = result.value as AppStatus;
    if (flags.json) printJson(io, status);
    else {
      io.stdout(
        [
          `Shiftgate ${status.version}`,
          `Register:  ${status.registerPath} (schema ${status.schemaVersion})`,
          `GitOps:    ${status.gitops.configured ? `${status.gitops.path} @ ${status.gitops.branch ?? "?"} ${status.gitops.head?.slice(0, 12) ?? ""}` : "not configured"}`,
          `Time zone: ${status.timeZone}`,
          "",
        ].join("\n"),
      );
    }
    return 0;
  } finally {
    await core.close();
  }
}
