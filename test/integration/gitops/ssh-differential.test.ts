import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitFiles } from "../../../electron/core/gitops/commit";
import { git, gitRaw } from "../../../electron/core/gitops/git";
import { generateSshKey, type SshKeyPair } from "../../../electron/core/gitops/keys";
import type { GitopsRepo } from "../../../electron/core/gitops/repo";
import { signatureVerdicts } from "../../../electron/core/gitops/verify/signatures";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { ADMIN, createWorld, script, type World } from "../../helpers/gitops-world";

// Differential test: every allowed_signers feature, real commits signed by git + ssh-keygen, and git's own
// `%G?` (git 2.39 running OpenSSH's ssh-keygen with gpg.ssh.allowedSignersFile) against verify's in-process
// verdicts on the same commits and the same file. Then verifyRepo's finding for each commit.

const AT = "2026-06-15T12:00:00Z";
const NOW = new Date("2026-12-06T08:00:00Z");

interface Case {
  readonly name: string;
  /** The committer e-mail. */
  readonly as: string;
  /** The key file git signs with (a private key, or a certificate beside its private key); null: unsigned. */
  readonly key: string | null;
  readonly at?: string;
  readonly tamper?: boolean;
  /** Re-armor the signature with its certificate's principal edited (the CA signature no longer holds). */
  readonly forgeCert?: boolean;
  /** git's %G? for the commit, and verify's finding on it (null: none). */
  readonly git: "G" | "B" | "U" | "N";
  readonly finding: string | null;
}

let world: World;
let repo: GitopsRepo;
let signersFile: string;
let signersText: string;
const cases: Case[] = [];
const shas = new Map<string, string>();

function pub(k: SshKeyPair): string {
  return k.publicLine.split(/\s+/).slice(0, 2).join(" ");
}

/** `ssh-keygen -s`: a certificate for `k` signed by `ca`; returns the certificate's path (beside the key). */
function certify(ca: SshKeyPair, k: SshKeyPair, principals: string, validity: string, host = false): string {
  execFileSync("ssh-keygen", [
    "-q",
    "-s",
    ca.privateKey,
    "-I",
    `${k.email}-id`,
    ...(host ? ["-h"] : []),
    "-n",
    principals,
    "-V",
    validity,
    k.publicKey,
  ]);
  return `${k.privateKey}-cert.pub`;
}

beforeAll(async () => {
  world = await createWorld("ssh");
  repo = await world.clone("differential");
  const keysDir = join(world.dir, "case-keys");
  const names = [
    "plain",
    "retired",
    "retiring",
    "edge",
    "future",
    "since",
    "nsfile",
    "nspattern",
    "quoted",
    "bare",
    "wild",
    "neg",
    "dup",
    "olga",
    "ca",
    "ca2",
    "gina",
    "harry",
    "xother",
    "expired",
    "hosty",
    "rogue",
    "stranger",
    "crlf",
    "lead",
    "spaced",
    "rep",
    "inv",
    "utc",
    "ca3",
    "multi",
    "esc",
    "emp",
  ] as const;
  const k = Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await generateSshKey(keysDir, `${n}@plant.example`)] as const)),
  ) as Record<(typeof names)[number], SshKeyPair>;
  const lines = [
    `plain@plant.example ${pub(k.plain)}`,
    `retired@plant.example valid-before="20260101" ${pub(k.retired)}`,
    `retiring@plant.example valid-before="20261231Z" ${pub(k.retiring)}`,
    `edge@plant.example valid-before="20260615120000Z" ${pub(k.edge)}`,
    `future@plant.example valid-after="20270101" ${pub(k.future)}`,
    `since@plant.example valid-after="202601011200" ${pub(k.since)}`,
    `nsfile@plant.example namespaces="file" ${pub(k.nsfile)}`,
    `nspattern@plant.example namespaces="file,g?t" ${pub(k.nspattern)}`,
    `"quoted@plant.example" NAMESPACES="git",VALID-AFTER="20200101" ${pub(k.quoted)}`,
    // ssh-keygen refuses an option value without quotes: the whole line is skipped.
    `bare@plant.example namespaces=git ${pub(k.bare)}`,
    `*@plant.example namespaces="git" ${pub(k.wild)}`,
    `!mallory@plant.example,*@plant.example ${pub(k.neg)}`,
    // find-principals takes the FIRST line holding the key (namespaces not consulted), verify then needs a line
    // listing that principal: git says B although the second line alone would allow the signature.
    `first@plant.example namespaces="file" ${pub(k.dup)}`,
    `second@plant.example ${pub(k.dup)}`,
    `olga@plant.example ${pub(k.olga)}`,
    `*@plant.example cert-authority,namespaces="git" ${pub(k.ca)}`,
    `crlf@plant.example ${pub(k.crlf)}\r`,
    "  # a comment, then a line indented with blanks",
    ` \t lead@plant.example ${pub(k.lead)}`,
    `"spaced name@plant.example,spaced@plant.example" ${pub(k.spaced)}`,
    `rep@plant.example namespaces="git",namespaces="git" ${pub(k.rep)}`,
    `inv@plant.example valid-after="20260101",valid-before="20250101" ${pub(k.inv)}`,
    `utc@plant.example valid-before="202606151100UTC" ${pub(k.utc)}`,
    `multi@plant.example,gina@plant.example CERT-AUTHORITY ${pub(k.ca3)}`,
    `esc@plant.example namespaces="fi\\"le,git" ${pub(k.esc)}`,
    // find-principals stops at the empty first element and prints nothing: git takes that as not found.
    `,emp@plant.example ${pub(k.emp)}`,
  ];
  signersText = `${readFileSync(join(repo.dir, ".shiftgate", "allowed_signers"), "utf8")}${lines.join("\n")}\n`;
  const year = "20260101:20270101";
  const cert = {
    gina: certify(k.ca, k.gina, "gina@plant.example", year),
    harry: certify(k.ca, k.harry, "gina@plant.example", year),
    xother: certify(k.ca, k.xother, "x@other.example", year),
    expired: certify(k.ca, k.expired, "expired@plant.example", "20250101:20260101"),
    hosty: certify(k.ca, k.hosty, "hosty@plant.example", year, true),
    rogue: certify(k.ca2, k.rogue, "rogue@plant.example", year),
    multi: certify(k.ca3, k.multi, "other@x.example,multi@plant.example", year),
  };
  const f = (n: keyof typeof k) => k[n].privateKey;
  cases.push(
    { name: "plain key", as: "plain@plant.example", key: f("plain"), git: "G", finding: null },
    {
      name: "valid-before in the past",
      as: "retired@plant.example",
      key: f("retired"),
      git: "U",
      finding: "unknown-signer",
    },
    { name: "valid-before in the future", as: "retiring@plant.example", key: f("retiring"), git: "G", finding: null },
    { name: "valid-before = commit time", as: "edge@plant.example", key: f("edge"), git: "G", finding: null },
    {
      name: "valid-before a second before",
      as: "edge@plant.example",
      key: f("edge"),
      at: "2026-06-15T12:00:01Z",
      git: "U",
      finding: "unknown-signer",
    },
    {
      name: "valid-after in the future",
      as: "future@plant.example",
      key: f("future"),
      git: "U",
      finding: "unknown-signer",
    },
    { name: "valid-after in the past", as: "since@plant.example", key: f("since"), git: "G", finding: null },
    {
      name: "namespaces excluding git",
      as: "nsfile@plant.example",
      key: f("nsfile"),
      git: "B",
      finding: "bad-signature",
    },
    {
      name: "namespaces pattern matching git",
      as: "nspattern@plant.example",
      key: f("nspattern"),
      git: "G",
      finding: null,
    },
    {
      name: "quoted principal, upper-case options",
      as: "quoted@plant.example",
      key: f("quoted"),
      git: "G",
      finding: null,
    },
    {
      name: "option value without quotes",
      as: "bare@plant.example",
      key: f("bare"),
      git: "U",
      finding: "unknown-signer",
    },
    { name: "wildcard principal", as: "wanda@plant.example", key: f("wild"), git: "G", finding: null },
    {
      name: "wildcard principal, other domain",
      as: "eve@other.example",
      key: f("wild"),
      git: "G",
      finding: "signer-mismatch",
    },
    { name: "negated principal", as: "mallory@plant.example", key: f("neg"), git: "G", finding: "signer-mismatch" },
    { name: "beside a negated principal", as: "nina@plant.example", key: f("neg"), git: "G", finding: null },
    { name: "first line excludes git", as: "second@plant.example", key: f("dup"), git: "B", finding: "bad-signature" },
    { name: "someone else's key", as: "pete@plant.example", key: f("olga"), git: "G", finding: "signer-mismatch" },
    { name: "certificate by the CA", as: "gina@plant.example", key: cert.gina, git: "G", finding: null },
    {
      name: "certificate principal edited after signing",
      as: "gina@plant.example",
      key: cert.gina,
      forgeCert: true,
      git: "B",
      finding: "bad-signature",
    },
    {
      name: "edge key before its deadline",
      as: "edge@plant.example",
      key: f("edge"),
      at: "2026-06-15T11:30:00Z",
      git: "G",
      finding: null,
    },
    {
      name: "certificate for someone else",
      as: "harry@plant.example",
      key: cert.harry,
      git: "G",
      finding: "signer-mismatch",
    },
    {
      name: "certificate principal not allowed",
      as: "x@other.example",
      key: cert.xother,
      git: "U",
      finding: "unknown-signer",
    },
    {
      name: "expired certificate",
      as: "expired@plant.example",
      key: cert.expired,
      git: "U",
      finding: "unknown-signer",
    },
    { name: "host certificate", as: "hosty@plant.example", key: cert.hosty, git: "U", finding: "unknown-signer" },
    {
      name: "certificate by another CA",
      as: "rogue@plant.example",
      key: cert.rogue,
      git: "U",
      finding: "unknown-signer",
    },
    { name: "CRLF line end", as: "crlf@plant.example", key: f("crlf"), git: "G", finding: null },
    { name: "indented line after a comment", as: "lead@plant.example", key: f("lead"), git: "G", finding: null },
    { name: "quoted principals with a blank", as: "spaced@plant.example", key: f("spaced"), git: "G", finding: null },
    { name: "repeated option", as: "rep@plant.example", key: f("rep"), git: "U", finding: "unknown-signer" },
    {
      name: "valid-before before valid-after",
      as: "inv@plant.example",
      key: f("inv"),
      git: "U",
      finding: "unknown-signer",
    },
    { name: "UTC suffix, minutes", as: "utc@plant.example", key: f("utc"), git: "U", finding: "unknown-signer" },
    {
      name: "certificate, second principal allowed",
      as: "multi@plant.example",
      key: cert.multi,
      git: "G",
      finding: null,
    },
    { name: "escaped quote in namespaces", as: "esc@plant.example", key: f("esc"), git: "G", finding: null },
    {
      name: "principals starting with a comma",
      as: "emp@plant.example",
      key: f("emp"),
      git: "U",
      finding: "unknown-signer",
    },
    { name: "unknown key", as: "stranger@plant.example", key: f("stranger"), git: "U", finding: "unknown-signer" },
    {
      name: "tampered commit",
      as: "plain@plant.example",
      key: f("plain"),
      tamper: true,
      git: "B",
      finding: "bad-signature",
    },
    { name: "unsigned", as: "plain@plant.example", key: null, git: "N", finding: "unsigned" },
  );
  const s = script(world, repo);
  await s.write(ADMIN, ".shiftgate/allowed_signers", signersText);
  signersFile = join(world.dir, "allowed_signers");
  writeFileSync(signersFile, signersText);
  for (const [i, c] of cases.entries()) {
    const path = `changes/case-${i}.txt`;
    if (c.key === null) shas.set(c.name, await s.unsigned(c.as, path, c.name));
    else {
      const signer = { name: c.name, email: c.as, key: { format: "ssh" as const, keyFile: c.key } };
      shas.set(
        c.name,
        await commitFiles(repo, signer, [{ path, content: c.name }], `${c.name}\n`, new Date(c.at ?? AT)),
      );
      if (c.tamper) shas.set(c.name, await s.tamperHead());
      if (c.forgeCert) shas.set(c.name, await forgeHeadCertificate());
    }
  }
}, 120_000);
afterAll(() => world?.cleanup());

/** Replaces HEAD by the same commit whose signature carries a certificate edited from gina@ to gino@. */
async function forgeHeadCertificate(): Promise<string> {
  const raw = (await gitRaw(world.ctx, repo.dir, ["cat-file", "commit", "HEAD"])).stdout.toString("latin1");
  const armor = /-----BEGIN SSH SIGNATURE-----\n([\s\S]*?)\n -----END SSH SIGNATURE-----/.exec(raw);
  const blob = Buffer.from((armor?.[1] ?? "").replace(/\s+/g, ""), "base64");
  blob.write("gino", blob.indexOf("gina@plant.example"), "latin1");
  const lines = blob.toString("base64").match(/.{1,70}/g) ?? [];
  const forged = raw.replace(
    armor?.[0] ?? "",
    `-----BEGIN SSH SIGNATURE-----\n ${lines.join("\n ")}\n -----END SSH SIGNATURE-----`,
  );
  const sha = (
    await git(world.ctx, repo.dir, ["hash-object", "-t", "commit", "-w", "--stdin"], {
      input: Buffer.from(forged, "latin1"),
    })
  ).stdout.trim();
  await git(world.ctx, repo.dir, ["update-ref", "HEAD", sha]);
  return sha;
}

async function gitCodes(tz?: string): Promise<Map<string, string>> {
  const out = await git(world.ctx, repo.dir, ["log", "--no-walk=unsorted", "--stdin", "--format=%H %G?"], {
    input: `${[...shas.values()].join("\n")}\n`,
    config: [`gpg.ssh.allowedSignersFile=${signersFile}`],
    env: tz ? { TZ: tz } : {},
  });
  return new Map(
    out.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(" ") as [string, string]),
  );
}

async function inProcessCodes(): Promise<Map<string, string>> {
  const raws = new Map<string, Buffer>();
  for (const sha of shas.values())
    raws.set(sha, (await gitRaw(world.ctx, repo.dir, ["cat-file", "commit", sha])).stdout);
  const verdicts = await signatureVerdicts({
    ctx: world.ctx,
    dir: repo.dir,
    raws,
    allowedSigners: [signersText],
    pgpKeys: [],
  });
  return new Map([...verdicts].map(([sha, v]) => [sha, v.code]));
}

const codesOf = (codes: ReadonlyMap<string, string>) => cases.map((c) => [c.name, codes.get(shas.get(c.name) ?? "")]);

describe("SSH signatures: verify agrees with git's own %G? for every allowed_signers feature", () => {
  it("git's verdicts are the ones the cases expect", async () => {
    const codes = await gitCodes();
    expect(cases.map((c) => [c.name, codes.get(shas.get(c.name) ?? "")])).toEqual(cases.map((c) => [c.name, c.git]));
  });

  it("verify's in-process verdicts equal git's on the same commits and file", async () => {
    expect(codesOf(await inProcessCodes())).toEqual(codesOf(await gitCodes()));
  });

  // git hands ssh-keygen the commit time as local wall-clock time, which mktime() reads as standard time: in a
  // summer-DST zone the verify time is an hour late (a commit half an hour before a `...Z` deadline is past it);
  // in Europe/Dublin tzdata calls summer time standard (negative DST), so there it is not.
  it.each([
    ["Europe/Berlin", "U"],
    ["America/New_York", "U"],
    ["Europe/Dublin", "G"],
  ])("in %s too, dates without Z are local and the commit time is read as git reads it", async (tz, edge) => {
    const saved = process.env.TZ;
    process.env.TZ = tz;
    try {
      const [ours, gits] = [await inProcessCodes(), await gitCodes(tz)];
      expect(codesOf(ours)).toEqual(codesOf(gits));
      expect(gits.get(shas.get("edge key before its deadline") ?? "")).toBe(edge);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("verifyRepo reports the finding kind the spec maps each verdict to, on that commit", async () => {
    const result = await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx });
    const kindOf = (sha: string) => result.findings.filter((f) => f.commit === sha).map((f) => f.kind);
    expect(cases.map((c) => [c.name, kindOf(shas.get(c.name) ?? "")])).toEqual(
      cases.map((c) => [c.name, c.finding ? [c.finding] : []]),
    );
    // Every case commit, the world's policy commit and its trust-root pin.
    expect(result.checked).toBe(cases.length + 2);
  });
});
