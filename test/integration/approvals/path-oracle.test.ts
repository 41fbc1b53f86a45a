import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { generateSshKey } from "../../../electron/core/gitops/keys";
import type { AppErrorData } from "../../../shared/contract/index";
import { tempCore } from "../../helpers/temp";
import { contentHash } from "../register/register-fixtures";
import { who } from "./support";

// A page may name any path to identity.use and cluster.contexts. If the answers differed between a missing file,
// a folder, an unreadable file and a file that is not a key (or kubeconfig), the page could map the disk.

let core: Core;
let dir: string;
let cleanup: () => void;

beforeEach(async () => {
  ({ core, dir, cleanup } = await tempCore({ demo: false }));
});
afterEach(() => cleanup());

async function errorOf(method: string, input: unknown): Promise<AppErrorData> {
  const result = await core.call(method, input, "web");
  if (result.ok) throw new Error(`${method} accepted ${JSON.stringify(input)}`);
  return result.error;
}

/** Paths that exist in every way but as a usable file: a folder, a FIFO, an unreadable file (not as root). */
function probes(): Record<string, string> {
  const folder = join(dir, "a-folder");
  mkdirSync(folder);
  const fifo = join(dir, "a-fifo");
  execFileSync("mkfifo", [fifo]);
  const notes = join(dir, "notes.txt");
  writeFileSync(notes, "root:x:0:0:root:/root:/bin/bash\n");
  const out: Record<string, string> = { missing: join(dir, "nothing-here"), folder, fifo, notes };
  if (process.getuid?.() !== 0) {
    const secret = join(dir, "secret");
    writeFileSync(secret, "private\n");
    chmodSync(secret, 0o000);
    out.unreadable = secret;
  }
  return out;
}

describe("identity.use gives one answer for every path that cannot be a key", () => {
  it("missing, folder, FIFO, unreadable, text, a key without its .pub, text beside a real .pub", async () => {
    const paths = probes();
    writeFileSync(`${paths.notes}.pub`, "not a public key\n");
    const lonely = (await generateSshKey(join(dir, "lonely"), "lonely@plant.example")).privateKey;
    execFileSync("rm", [`${lonely}.pub`]);
    // A text file posing as Sofia's private key: the .pub names her, ssh-keygen cannot load the key.
    const demoKeys = await core.call("identity.demoKeys", {});
    expect(demoKeys.ok).toBe(true);
    const posing = join(dir, "posing.key");
    writeFileSync(posing, "-----BEGIN OPENSSH PRIVATE KEY-----\nnonsense\n-----END OPENSSH PRIVATE KEY-----\n");
    copyFileSync(join(dir, "keys", "demo", `${who("sofia").email}.key.pub`), `${posing}.pub`);
    const before = contentHash(core.services.register.db);

    const answers = new Map<string, AppErrorData>();
    for (const [name, keyFile] of Object.entries({ ...paths, lonely, posing }))
      answers.set(name, await errorOf("identity.use", { keyFile }));
    const first = answers.get("missing");
    expect(first).toEqual({
      code: "invalid-input",
      message:
        "Shiftgate cannot use this file as a signing key: choose a key file from the list, or your private key file " +
        "with its .pub beside it.",
      details: { reason: "unusable-key-file" },
    });
    for (const [name, answer] of answers) expect({ name, answer }).toEqual({ name, answer: first });
    expect(contentHash(core.services.register.db)).toBe(before);
  });
});

describe("identity.use with an OpenPGP key: a GnuPG home that holds no keyring", () => {
  it("is answered alike whether missing, an empty folder or a file, and nothing is written into it", async () => {
    const empty = join(dir, "empty-folder");
    mkdirSync(empty);
    const file = join(dir, "a-file");
    writeFileSync(file, "x\n");
    const answers = new Map<string, AppErrorData>();
    for (const [name, gnupgHome] of Object.entries({ missing: join(dir, "no-home"), empty, file })) {
      const error = await errorOf("identity.use", { openpgpKey: "sofia.rossi@plant.example", gnupgHome });
      answers.set(name, { ...error, message: error.message.replace(gnupgHome, "<home>") });
    }
    const first = answers.get("missing");
    expect(first).toEqual({
      code: "not-found",
      message: "There is no secret OpenPGP key sofia.rossi@plant.example in <home>.",
    });
    for (const [name, answer] of answers) expect({ name, answer }).toEqual({ name, answer: first });
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe("cluster.contexts gives one answer for every path that cannot be a kubeconfig", () => {
  it("missing, folder, FIFO, unreadable, a text file, an empty YAML file", async () => {
    const paths = probes();
    const empty = join(dir, "empty.yaml");
    writeFileSync(empty, "apiVersion: v1\nkind: Config\n");
    const before = contentHash(core.services.register.db);

    const answers = new Map<string, AppErrorData>();
    for (const [name, path] of Object.entries({ ...paths, empty })) {
      const error = await errorOf("cluster.contexts", { source: { kind: "file", path } });
      // The message names the path the caller gave, and nothing else about it.
      answers.set(name, { ...error, message: error.message.replace(path, "<path>") });
    }
    const first = answers.get("missing");
    expect(first).toEqual({
      code: "cluster",
      message:
        "There is no kubeconfig at <path> that Shiftgate can use. Choose the file your cluster administrator gave you.",
      details: { kind: "kubeconfig", source: "kubeconfig" },
    });
    for (const [name, answer] of answers) expect({ name, answer }).toEqual({ name, answer: first });
    expect(contentHash(core.services.register.db)).toBe(before);
  });
});
