import type { GitopsDemoResult } from "../../../shared/contract/methods/gitops";
import { replaceDemo } from "../../core/gitops/demo-replace";
import { firstRunDemo } from "../../core/gitops/first-run";
import { dataPaths } from "../../core/paths";
import { parseFlags } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import { openCliCore } from "../open-core";
import { gitopsConnectCommand } from "./gitops-connect";
import { gitopsFluxCommand, gitopsTagCommand } from "./gitops-flux";
import { gitopsNotifyCommandEntry } from "./gitops-notify";
import { gitopsSyncCommand } from "./gitops-sync";
import { gitopsVerifyEntry } from "./gitops-verify";
import type { Command } from "./index";

/**
 * `shiftgate gitops demo [--replace] [--data-dir DIR] [--json]`: builds the offline demo repository when there is
 * none; --replace rebuilds it (refused while anything is unpushed). Only here: no page can replace the demo.
 */
async function gitopsDemoCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    replace: { type: "boolean" },
    "data-dir": { type: "string" },
    json: { type: "boolean" },
  });
  const core = await openCliCore(io, flags["data-dir"], undefined, "write");
  try {
    const services = core.services;
    let result: GitopsDemoResult;
    if (flags.replace) result = await replaceDemo(services);
    else {
      const demo = await firstRunDemo(services.dataDir, services.clock);
      result = demo
        ? { remote: demo.remote, workingCopy: demo.repo.dir, changes: demo.changes }
        : { remote: dataPaths(services.dataDir).gitopsDemoRemote, workingCopy: services.gitopsDir ?? "", changes: [] };
    }
    if (flags.json) printJson(io, result);
    else if (result.changes.length === 0)
      io.stdout(`A GitOps working copy is already at ${result.workingCopy}; kept as it is (--replace rebuilds it).\n`);
    else
      io.stdout(
        `Demo GitOps repository at ${result.workingCopy} (remote ${result.remote}):\n${result.changes.map((c) => `  ${c.id}  ${c.state}`).join("\n")}\n`,
      );
    return 0;
  } finally {
    await core.close();
  }
}

/** The `shiftgate gitops ...` sub-commands. */
export const gitopsCommands: readonly Command[] = [
  gitopsVerifyEntry,
  {
    words: ["gitops", "demo"],
    usage: "gitops demo [--replace] [--data-dir DIR] [--json]",
    summary: "Build the offline demo GitOps repository; --replace rebuilds it (refused while anything is unpushed)",
    run: gitopsDemoCommand,
  },
  {
    words: ["gitops", "connect"],
    usage:
      "gitops connect --url URL [--branch B] [--trust-root COMMIT | --init-policy --key FILE --name N --email E] [--data-dir DIR] [--json]",
    summary:
      "Join your plant's GitOps repository (ssh://, https://, file://); confirm its trust root with --trust-root",
    run: gitopsConnectCommand,
  },
  {
    words: ["gitops", "sync"],
    usage: "gitops sync [--data-dir DIR] [--json]",
    summary: "Send what waits, fetch what other laptops pushed and import it; prints when the remote was last heard",
    run: gitopsSyncCommand,
  },
  {
    words: ["gitops", "flux"],
    usage:
      "gitops flux --repo DIR [--out DIR] [--url URL] [--name N] [--namespace NS] [--mode HEAD|Tag|TagAndHEAD] [--branch B] [--semver RANGE] [--rev REV]",
    summary: "Write the Flux GitRepository with spec.verify and the Secret of the keys .shiftgate/ trusts",
    run: gitopsFluxCommand,
  },
  {
    words: ["gitops", "tag"],
    usage: "gitops tag --repo DIR --rev REV --email E --name N (--ssh-key FILE | --openpgp-key ID [--gnupg-home DIR])",
    summary: "Tag a release commit with a signed tag (Flux's Tag and TagAndHEAD verification)",
    run: gitopsTagCommand,
  },
  gitopsNotifyCommandEntry,
];
