import { createHash, createPrivateKey, type KeyObject, sign } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import type { FileWrite } from "./commit";
import { type GitContext, git } from "./git";

// First run builds the demo repository on every new install, and its ~80 story commits through `git add`, `git
// commit` and ssh-keygen cost three processes each (seconds on a busy laptop). The demo's keys are its own
// unencrypted ed25519 files, so the stories' commits are written here as git writes them: loose objects, each commit
// carrying the same SSH signature (SSHSIG, namespace "git") ssh-keygen would make, which git's own `%G?` checks.

/** A demo signer: who commits, and the unencrypted ed25519 OpenSSH private key file that signs. */
interface FastSigner {
  readonly name: string;
  readonly email: string;
  readonly keyFile: string;
}

/** Writes signed commits on top of a working copy's HEAD without a process per commit; `finish` moves the branch. */
interface FastCommitter {
  commit(signer: FastSigner, files: readonly FileWrite[], message: string, date: Date): string;
  finish(): Promise<void>;
}

interface SshKey {
  readonly publicBlob: Buffer;
  readonly privateKey: KeyObject;
}

const sshString = (b: Buffer | string): Buffer => {
  const data = typeof b === "string" ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
};

function readSshString(buf: Buffer, at: number): [Buffer, number] {
  const len = buf.readUInt32BE(at);
  return [buf.subarray(at + 4, at + 4 + len), at + 4 + len];
}

// openssh-key-v1, cipher "none": the one private key's ed25519 seed and public key.
function parseEd25519(file: string): SshKey {
  const body = readFileSync(file, "utf8")
    .replace(/-----(BEGIN|END) OPENSSH PRIVATE KEY-----/g, "")
    .replace(/\s+/g, "");
  const buf = Buffer.from(body, "base64");
  const magic = "openssh-key-v1\0";
  if (buf.subarray(0, magic.length).toString("latin1") !== magic) throw new Error(`${file} is not an OpenSSH key`);
  const [cipher, kdfAt] = readSshString(buf, magic.length);
  if (cipher.toString() !== "none") throw new Error(`${file} is encrypted`);
  const [, kdfOptionsAt] = readSshString(buf, kdfAt);
  const [, keysAt] = readSshString(buf, kdfOptionsAt);
  // After the number of keys (always 1): the public key, then the private section.
  const [publicBlob, privAt] = readSshString(buf, keysAt + 4);
  const [priv] = readSshString(buf, privAt);
  // Two check integers, then the key type, its public key and its secret (seed and public key).
  const [type, pubAt] = readSshString(priv, 8);
  if (type.toString() !== "ssh-ed25519") throw new Error(`${file} is not an ed25519 key`);
  const [, secretAt] = readSshString(priv, pubAt);
  const [secret] = readSshString(priv, secretAt);
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), secret.subarray(0, 32)]);
  return { publicBlob, privateKey: createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }) };
}

// What `ssh-keygen -Y sign -n git` prints for this payload (PROTOCOL.sshsig).
function sshSignature(key: SshKey, payload: Buffer): string {
  const hash = createHash("sha512").update(payload).digest();
  const signed = Buffer.concat([
    Buffer.from("SSHSIG"),
    sshString("git"),
    sshString(""),
    sshString("sha512"),
    sshString(hash),
  ]);
  const raw = sign(null, signed, key.privateKey);
  const version = Buffer.alloc(4);
  version.writeUInt32BE(1);
  const blob = Buffer.concat([
    Buffer.from("SSHSIG"),
    version,
    sshString(key.publicBlob),
    sshString("git"),
    sshString(""),
    sshString("sha512"),
    sshString(Buffer.concat([sshString("ssh-ed25519"), sshString(raw)])),
  ]);
  const lines = blob.toString("base64").match(/.{1,70}/g) ?? [];
  return ["-----BEGIN SSH SIGNATURE-----", ...lines, "-----END SSH SIGNATURE-----"].join("\n");
}

// A folder of the tree being built, with the object id it was last written as (cleared when a file below changes):
// only the folders on a changed path are written again.
interface Folder {
  readonly entries: Map<string, { readonly mode: string; readonly sha: string } | Folder>;
  sha: string | null;
}

const isFolder = (e: unknown): e is Folder => typeof e === "object" && e !== null && "entries" in e;

/** Opens a fast committer over `dir`'s current HEAD (its files read once through `git ls-tree`). */
export async function fastCommitter(ctx: GitContext, dir: string, branch: string): Promise<FastCommitter> {
  const objects = join(dir, ".git", "objects");
  const head = (await git(ctx, dir, ["rev-parse", "HEAD"])).stdout.trim();
  const listing = (await git(ctx, dir, ["ls-tree", "-r", "-z", "HEAD"])).stdout;
  const root: Folder = { entries: new Map(), sha: null };
  const put = (path: string, entry: { mode: string; sha: string }) => {
    const segments = path.split("/");
    let node = root;
    node.sha = null;
    for (const name of segments.slice(0, -1)) {
      let next = node.entries.get(name);
      if (!isFolder(next)) {
        next = { entries: new Map(), sha: null };
        node.entries.set(name, next);
      }
      next.sha = null;
      node = next;
    }
    node.entries.set(segments[segments.length - 1] ?? path, entry);
  };
  for (const entry of listing.split("\0").filter(Boolean)) {
    const [meta, path] = entry.split("\t") as [string, string];
    const [mode, , sha] = meta.split(" ") as [string, string, string];
    put(path, { mode, sha });
  }
  const keys = new Map<string, SshKey>();
  let parent = head;

  const write = (type: string, body: Buffer): string => {
    const data = Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]);
    const sha = createHash("sha1").update(data).digest("hex");
    const folder = join(objects, sha.slice(0, 2));
    const file = join(folder, sha.slice(2));
    if (existsSync(file)) return sha;
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, deflateSync(data));
    return sha;
  };
  const writeTree = (folder: Folder): string => {
    if (folder.sha) return folder.sha;
    // git orders entries by name, a folder as if its name ended in "/".
    const key = (name: string) => (isFolder(folder.entries.get(name)) ? `${name}/` : name);
    const names = [...folder.entries.keys()].sort((a, b) => Buffer.compare(Buffer.from(key(a)), Buffer.from(key(b))));
    const parts = names.map((name) => {
      const e = folder.entries.get(name);
      const [mode, sha] = isFolder(e) ? ["40000", writeTree(e)] : [e?.mode ?? "100644", e?.sha ?? ""];
      return Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(sha, "hex")]);
    });
    folder.sha = write("tree", Buffer.concat(parts));
    return folder.sha;
  };

  return {
    commit(signer, changed, message, date) {
      for (const f of changed) put(f.path, { mode: "100644", sha: write("blob", Buffer.from(f.content)) });
      const key = keys.get(signer.keyFile) ?? parseEd25519(signer.keyFile);
      keys.set(signer.keyFile, key);
      const who = `${signer.name} <${signer.email}> ${Math.floor(date.getTime() / 1000)} +0000`;
      const header = `tree ${writeTree(root)}\nparent ${parent}\nauthor ${who}\ncommitter ${who}\n`;
      const text = message.endsWith("\n") ? message : `${message}\n`;
      const signature = sshSignature(key, Buffer.from(`${header}\n${text}`));
      const body = `${header}gpgsig ${signature.split("\n").join("\n ")}\n\n${text}`;
      parent = write("commit", Buffer.from(body));
      return parent;
    },
    async finish() {
      if (parent === head) return;
      await git(ctx, dir, ["update-ref", `refs/heads/${branch}`, parent, head]);
      // The working copy and index follow the branch: every story file appears where git expects it.
      await git(ctx, dir, ["reset", "--quiet", "--hard", parent]);
    },
  };
}
