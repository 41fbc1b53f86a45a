import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  checkFluxOptions,
  type FluxOptions,
  fluxGitRepositoryYaml,
  fluxKeys,
  fluxSecretYaml,
} from "../../core/gitops/flux";
import { type GitContext, git, isolatedGitContext } from "../../core/gitops/git";
import { tagRelease } from "../../core/gitops/release-tag";
import type { Signer } from "../../core/gitops/signing";
import { parseFlags, required, UsageError } from "../args";
import type { CliIo, ExitCode } from "../io";

const MODES = ["HEAD", "Tag", "TagAndHEAD"] as const;

async function show(ctx: GitContext, repo: string, rev: string, path: string): Promise<string | null> {
  const out = await git(ctx, repo, ["show", `${rev}:${path}`], { okCodes: [128], doing: `read ${path}` });
  return out.code === 0 ? out.stdout : null;
}

/**
 * `shiftgate gitops flux --repo DIR [--out DIR] [--url URL] [--name N] [--namespace NS] [--mode HEAD|Tag|TagAndHEAD]
 * [--branch B] [--semver RANGE] [--rev REV]`: the Flux GitRepository with spec.verify and its keys Secret, from the
 * keys `.shiftgate/` trusts at REV (default HEAD).
 */
export async function gitopsFluxCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    repo: { type: "string" },
    out: { type: "string" },
    url: { type: "string" },
    name: { type: "string" },
    namespace: { type: "string" },
    mode: { type: "string" },
    branch: { type: "string" },
    semver: { type: "string" },
    rev: { type: "string" },
  });
  const repo = resolve(io.cwd, required(flags.repo, "repo"));
  const ctx = isolatedGitContext(io.env);
  const rev = flags.rev ?? "HEAD";
  if (rev.startsWith("-")) throw new UsageError(`--rev '${rev}' is not a revision`);
  const mode = (MODES as readonly string[]).includes(flags.mode ?? "HEAD") ? (flags.mode ?? "HEAD") : null;
  if (!mode) throw new UsageError(`--mode must be HEAD, Tag or TagAndHEAD, not '${flags.mode}'`);
  if (mode === "HEAD" && flags.semver) throw new UsageError("--semver follows release tags: use it with --mode Tag");
  const origin = await git(ctx, repo, ["config", "--get", "remote.origin.url"], { okCodes: [1] });
  const url = flags.url ?? origin.stdout.trim();
  if (!url) throw new UsageError("--url is required: the repository has no origin to point Flux at");
  const options: FluxOptions = {
    name: flags.name ?? "shiftgate",
    namespace: flags.namespace ?? "flux-system",
    url,
    mode: mode as FluxOptions["mode"],
    branch: flags.branch ?? "main",
    semver: flags.semver ?? ">=0.0.0",
    interval: "1m",
  };
  checkFluxOptions(options);
  const listed = await git(ctx, repo, ["ls-tree", "--name-only", `${rev}:.shiftgate/keys`], { okCodes: [128] });
  const asc = new Map<string, string>();
  for (const file of listed.code === 0 ? listed.stdout.split("\n").filter((f) => f.endsWith(".asc")) : []) {
    const text = await show(ctx, repo, rev, `.shiftgate/keys/${file}`);
    if (text !== null) asc.set(file.slice(0, -4), text);
  }
  const keys = fluxKeys(await show(ctx, repo, rev, ".shiftgate/allowed_signers"), asc);
  for (const s of keys.skipped) io.stderr(`left out of the Flux keys: ${s}\n`);
  if (Object.keys(keys.data).length === 0)
    throw new UsageError(
      `${repo} at ${rev} trusts no key Flux can check (.shiftgate/allowed_signers, .shiftgate/keys)`,
    );
  const gitRepository = fluxGitRepositoryYaml(options);
  const secret = fluxSecretYaml(options, keys);
  if (flags.out === undefined) {
    io.stdout(`${gitRepository}---\n${secret}`);
    return 0;
  }
  const dir = resolve(io.cwd, flags.out);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "gitrepository.yaml"), gitRepository);
  writeFileSync(join(dir, "verify-keys-secret.yaml"), secret);
  io.stdout(`Wrote ${join(dir, "gitrepository.yaml")} and ${join(dir, "verify-keys-secret.yaml")}\n`);
  return 0;
}

/**
 * `shiftgate gitops tag --repo DIR --rev REV --email E --name N (--ssh-key FILE | --openpgp-key ID [--gnupg-home D])`:
 * a signed annotated release tag for Flux's Tag modes. The passphrase comes from SHIFTGATE_KEY_PASSPHRASE.
 */
export async function gitopsTagCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    repo: { type: "string" },
    rev: { type: "string" },
    email: { type: "string" },
    name: { type: "string" },
    "ssh-key": { type: "string" },
    "openpgp-key": { type: "string" },
    "gnupg-home": { type: "string" },
  });
  const dir = resolve(io.cwd, required(flags.repo, "repo"));
  const rev = required(flags.rev, "rev");
  const passphrase = io.env.SHIFTGATE_KEY_PASSPHRASE || undefined;
  const ssh = flags["ssh-key"];
  const pgp = flags["openpgp-key"];
  if ((ssh === undefined) === (pgp === undefined))
    throw new UsageError("give one of --ssh-key FILE or --openpgp-key ID");
  const signer: Signer = {
    name: required(flags.name, "name"),
    email: required(flags.email, "email"),
    key:
      ssh !== undefined
        ? { format: "ssh", keyFile: resolve(io.cwd, ssh), passphrase }
        : { format: "openpgp", keyId: pgp ?? "", gnupgHome: flags["gnupg-home"], passphrase },
  };
  const ctx = isolatedGitContext(io.env);
  const tag = await tagRelease({ dir, branch: "main", remote: "origin", ctx }, signer, rev, `Release ${rev}\n`);
  io.stdout(`${tag}\n`);
  return 0;
}
