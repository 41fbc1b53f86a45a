import { homedir } from "node:os";
import { resolve } from "node:path";
import type { GitopsSyncResult } from "../../../shared/contract/methods/gitops";
import { systemClock } from "../../core/clock";
import { createCore } from "../../core/core";
import { connectRepository } from "../../core/gitops/connect";
import type { PolicyAdmin } from "../../core/gitops/connect-init";
import { isolatedGitContext } from "../../core/gitops/git";
import { defaultUserDataDir } from "../../core/paths";
import { parseFlags, required, UsageError } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import { packageVersion } from "../version";

/**
 * `shiftgate gitops connect --url URL [--branch B] [--trust-root COMMIT | --init-policy --key FILE --name N --email E]
 * [--data-dir DIR] [--json]`: clones the
 * plant's repository through the system git (ssh-agent, known_hosts, credential helpers as for `git clone`) and
 * shows its trust root; run again with `--trust-root` to confirm it, which connects this data folder (the old
 * repository and register are archived) and imports the repository's changes.
 */
export async function gitopsConnectCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    url: { type: "string" },
    branch: { type: "string" },
    "trust-root": { type: "string" },
    "init-policy": { type: "boolean" },
    key: { type: "string" },
    name: { type: "string" },
    email: { type: "string" },
    "data-dir": { type: "string" },
    json: { type: "boolean" },
  });
  const url = required(flags.url, "url");
  if (url.length > 2048 || /[\p{Cc}]/u.test(url))
    throw new UsageError("--url must be one line of at most 2048 characters");
  if (flags.branch !== undefined && !/^[A-Za-z0-9._/-]{1,200}$/.test(flags.branch))
    throw new UsageError(`--branch must be a branch name, not '${flags.branch}'`);
  const initPolicy = flags["init-policy"] ? policyAdmin(flags, io) : undefined;
  if (initPolicy && flags["trust-root"] !== undefined)
    throw new UsageError(
      "--init-policy initialises and shows the new trust root; confirm it in a second run without --init-policy",
    );
  const dataDir = flags["data-dir"]
    ? resolve(io.cwd, flags["data-dir"])
    : defaultUserDataDir(process.platform, io.env, homedir());
  if (!flags.json) io.stdout(`Cloning ${url} (branch ${flags.branch ?? "main"}) through your git and checking it…\n`);
  const outcome = await connectRepository(
    dataDir,
    { url, branch: flags.branch, trustRoot: flags["trust-root"], userEnv: io.env, initPolicy },
    isolatedGitContext(io.env),
    systemClock,
  );
  const probe = outcome.probe;
  if (outcome.status === "confirm") {
    if (flags.json) printJson(io, outcome);
    else
      io.stdout(
        `${probe.url} (branch ${probe.branch}) is a Shiftgate GitOps repository with ${probe.changes} change(s); verify finds ${probe.findings} problem(s).\n` +
          `Its trust root is ${probe.trustRoot} (${probe.trustRootSource === "committed" ? "named in .shiftgate/trust-root" : "its first commit"}).\n` +
          `Check this commit with your policy-admin, then confirm:\n  shiftgate gitops connect --url ${probe.url} --branch ${probe.branch} --trust-root ${probe.trustRoot}\n`,
      );
    return 0;
  }
  const archived = outcome.status === "connected" ? outcome.archived : null;
  // The register is opened only now, over the connected repository: it starts empty and takes the changes in.
  const core = await createCore({ dataDir, appVersion: packageVersion() });
  try {
    const synced = await core.call("gitops.sync", {}, "cli");
    if (!synced.ok) throw new Error(synced.error.message);
    const result = { ...outcome, sync: synced.value as GitopsSyncResult };
    if (flags.json) printJson(io, result);
    else
      io.stdout(
        `Connected to ${probe.url} (branch ${probe.branch}); trust root ${probe.trustRoot} pinned.\n` +
          (archived ? `The previous repository and register are kept in ${archived}.\n` : ""),
      );
    return 0;
  } finally {
    await core.close();
  }
}

// The policy-admin initialising a repository: their SSH key (its passphrase from SHIFTGATE_KEY_PASSPHRASE, never the
// command line), name and e-mail.
function policyAdmin(
  flags: { readonly key?: string; readonly name?: string; readonly email?: string },
  io: CliIo,
): PolicyAdmin {
  const email = required(flags.email, "email");
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError(`--email must be an e-mail address, not '${email}'`);
  return {
    keyFile: resolve(io.cwd, required(flags.key, "key")),
    name: required(flags.name, "name"),
    email,
    passphrase: io.env.SHIFTGATE_KEY_PASSPHRASE,
  };
}
