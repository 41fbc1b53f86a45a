import { AppError } from "../../../shared/contract/errors";
import type { GitopsSyncStatus } from "../../../shared/contract/methods/gitops";
import { syncPhaseText, syncSummaryLines } from "../../../shared/domain/app/sync-summary";
import { syncRunnerOf } from "../../core/gitops/sync-runner";
import { parseFlags } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import { openCliCore } from "../open-core";

/**
 * `shiftgate gitops sync [--data-dir DIR] [--json]`: one sync of this laptop's working copy, as the app's Sync does
 * (the same core method, so the same conflict stop); progress on stderr, then the status summary the app shows.
 * Exit 0 when the sync went through, 1 when it stopped (offline, conflict: the summary says why).
 */
export async function gitopsSyncCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, { "data-dir": { type: "string" }, json: { type: "boolean" } });
  const core = await openCliCore(io, flags["data-dir"], undefined, "write");
  try {
    const off = syncRunnerOf(core.services).watch((phase) => io.stderr(`sync: ${syncPhaseText(phase)}…\n`));
    const result = await core.call("gitops.sync", {}, "cli");
    off();
    const status = await core.call("gitops.syncStatus", {}, "cli");
    if (!status.ok) throw AppError.fromData(status.error);
    const summary = status.value as GitopsSyncStatus;
    if (flags.json) printJson(io, { ok: result.ok, result: result.ok ? result.value : null, status: summary });
    else {
      // A sync refused before it ran (no repository) leaves no status error: say it here.
      if (!result.ok && !summary.lastError) io.stderr(`${result.error.message}\n`);
      io.stdout(`${syncSummaryLines(summary, core.services.clock.now()).join("\n")}\n`);
    }
    return result.ok ? 0 : 1;
  } finally {
    await core.close();
  }
}
