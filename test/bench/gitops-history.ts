import { spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { digestOf } from "../../electron/core/gitops/commit";
import { demoKustomization, demoPolicy } from "../../electron/core/gitops/demo-policy";
import { DEMO_PEOPLE } from "../../shared/domain/demo/roster";
import { approvalPath, writeApproval, writeChange, writePolicy } from "../../shared/domain/policy/index";

// Generates a large signed GitOps history fast: git fast-import builds blobs and trees, then the commits are
// rewritten as SSH-signed commit objects computed here (SSHSIG with ed25519 keys, exactly what ssh-keygen -Y sign
// produces) and written with one `git hash-object --stdin-paths`. Signing 10,000 commits through git would
// take minutes; this takes seconds and yields the same objects.

const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
const gitSync = (cwd: string, args: string[], input?: string | Buffer) => {
  const r = spawnSync("git", args, { cwd, env, input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args[0]}: ${r.stderr.toString()}`);
  return r.stdout.toString();
};

function str(b: Buffer | string): Buffer {
  const body = typeof b === "string" ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

interface Person {
  readonly email: string;
  readonly name: string;
  readonly key: KeyObject;
  readonly blob: Buffer;
}

function sshSign(person: Person, payload: string): string {
  const hash = createHash("sha512").update(payload).digest();
  const signed = Buffer.concat([Buffer.from("SSHSIG"), str("git"), str(""), str("sha512"), str(hash)]);
  const sig = sign(null, signed, person.key);
  const version = Buffer.alloc(4);
  version.writeUInt32BE(1);
  const blob = Buffer.concat([
    Buffer.from("SSHSIG"),
    version,
    str(person.blob),
    str("git"),
    str(""),
    str("sha512"),
    str(Buffer.concat([str("ssh-ed25519"), str(sig)])),
  ]);
  const b64 = blob.toString("base64").match(/.{1,70}/g) ?? [];
  return ["-----BEGIN SSH SIGNATURE-----", ...b64, "-----END SSH SIGNATURE-----"].join("\n");
}

/** Builds a bare repository at `dir` with `changes` changes (submit, three approvals, release) and noise commits. */
export function generateHistory(dir: string, changes: number, noisePerChange: number): { readonly commits: number } {
  mkdirSync(dir, { recursive: true });
  gitSync(dir, ["init", "--quiet", "--bare", "--initial-branch=main"]);
  const people = new Map<string, Person>();
  for (const p of DEMO_PEOPLE) {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const x = Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url");
    people.set(p.email, {
      email: p.email,
      name: p.name,
      key: privateKey,
      blob: Buffer.concat([str("ssh-ed25519"), str(x)]),
    });
  }
  const signers = [...people.values()]
    .map((p) => `${p.email} namespaces="git" ssh-ed25519 ${p.blob.toString("base64")}\n`)
    .join("");
  const base = Date.parse("2026-01-01T00:00:00Z") / 1000;
  type Step = { by: string; message: string; files: [string, string][] };
  const steps: Step[] = [
    {
      by: "olivia.brown@plant.example",
      message: "Root of trust",
      files: [
        [".shiftgate/policy.yaml", writePolicy(demoPolicy())],
        [".shiftgate/allowed_signers", signers],
        ["apps/odoo/overlays/prod/kustomization.yaml", demoKustomization("prod", "0")],
        ["apps/odoo/overlays/qa/kustomization.yaml", demoKustomization("qa", "0")],
      ],
    },
  ];
  const approvers: [string, string][] = [
    ["raj.patel@plant.example", "cab-member"],
    ["kenji.sato@plant.example", "cab-member"],
    ["ana.ortiz@plant.example", "plant-ops-leader"],
  ];
  for (let i = 1; i <= changes; i++) {
    const id = `CHG-2026-${String(i).padStart(4, "0")}`;
    const t = base + steps.length * 60;
    const change = writeChange({
      id,
      title: `Generated change ${i}`,
      type: "normal",
      risk: "high",
      area: "warehouse",
      environment: "production",
      plants: ["berlin"],
      requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
      implementer: { name: "Tom Fischer", email: "tom.fischer@plant.example" },
      window: { start: new Date(t * 1000).toISOString(), end: new Date((t + 3600 * 24) * 1000).toISOString() },
      dbMigration: false,
      rollback: "Revert",
      validation: [],
    });
    const trailers = (extra = "") => `\n\nChange-Request: ${id}${extra}\n`;
    steps.push({
      by: "lena.weber@plant.example",
      message: `Submit ${id}${trailers()}`,
      files: [[`changes/${id}/change.yaml`, change]],
    });
    for (const [email, role] of approvers) {
      const name = people.get(email)?.name ?? email;
      const approval = writeApproval({
        change: id,
        scope: "deploy",
        decision: "approved",
        meaning: "Approved for production release",
        signer: { name, email, role },
        signedAt: new Date((t + 60) * 1000).toISOString(),
        changeDigest: digestOf(change),
      });
      steps.push({
        by: email,
        message: `Approve ${id}${trailers(`\nApproval-Scope: deploy\nApproved-by: ${name} <${email}>`)}`,
        files: [[approvalPath(id, email, "deploy"), approval]],
      });
    }
    steps.push({
      by: "tom.fischer@plant.example",
      message: `Release ${id}${trailers()}`,
      files: [["apps/odoo/overlays/prod/kustomization.yaml", demoKustomization("prod", String(i))]],
    });
    for (let k = 0; k < noisePerChange; k++)
      steps.push({
        by: "lena.weber@plant.example",
        message: `QA tweak ${i}.${k}`,
        files: [["apps/odoo/overlays/qa/kustomization.yaml", demoKustomization("qa", `${i}.${k}`)]],
      });
  }
  // 1. Trees via fast-import (unsigned scratch commits).
  const chunks: string[] = [];
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  steps.forEach((s, i) => {
    chunks.push(`commit refs/heads/scratch\nmark :${i + 1}\ncommitter x <x@x> ${base + i * 60} +0000\n${data("x")}`);
    if (i > 0) chunks.push(`from :${i}\n`);
    for (const [path, content] of s.files) chunks.push(`M 100644 inline ${path}\n${data(content)}`);
    chunks.push("\n");
  });
  gitSync(dir, ["fast-import", "--quiet"], chunks.join(""));
  const trees = gitSync(dir, ["log", "--reverse", "--format=%T", "scratch"]).trim().split("\n");
  // 2. Signed commits computed here, written in one hash-object call.
  const objDir = join(dir, "gen-objects");
  mkdirSync(objDir, { recursive: true });
  const paths: string[] = [];
  let parent: string | null = null;
  steps.forEach((s, i) => {
    const person = people.get(s.by) as Person;
    const when = `${base + i * 60} +0000`;
    const ident = `${person.name} <${person.email}> ${when}`;
    const head = `tree ${trees[i]}\n${parent ? `parent ${parent}\n` : ""}author ${ident}\ncommitter ${ident}\n`;
    const message = `\n${s.message.endsWith("\n") ? s.message : `${s.message}\n`}`;
    const sig = sshSign(person, head + message);
    const body = `${head}gpgsig ${sig.split("\n").join("\n ")}\n${message}`;
    const file = join(objDir, String(i));
    writeFileSync(file, body);
    paths.push(file);
    parent = createHash("sha1")
      .update(`commit ${Buffer.byteLength(body)}\0`)
      .update(body)
      .digest("hex");
  });
  const written = gitSync(dir, ["hash-object", "-t", "commit", "-w", "--stdin-paths"], `${paths.join("\n")}\n`)
    .trim()
    .split("\n");
  if (written[written.length - 1] !== parent) throw new Error("generated commit ids differ from git's");
  gitSync(dir, ["update-ref", "refs/heads/main", parent ?? ""]);
  gitSync(dir, ["update-ref", "-d", "refs/heads/scratch"]);
  gitSync(dir, ["repack", "-adq"]);
  return { commits: steps.length };
}
