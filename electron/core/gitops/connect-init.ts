import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { AppError } from "../../../shared/contract/errors";
import { parsePolicy, writePolicy } from "../../../shared/domain/policy/index";
import type { Clock } from "../clock";
import { commitFiles } from "./commit";
import { demoPolicy } from "./demo-policy";
import { type GitContext, git } from "./git";
import { allowedSignersText } from "./keys";
import type { GitopsRepo } from "./repo";
import type { Signer } from "./signing";
import { TRUST_ROOT_PATH } from "./verify/trust-root";

/** The person initialising a repository without a policy: they become its first policy-admin. */
export interface PolicyAdmin {
  readonly name: string;
  readonly email: string;
  /** Their SSH private key; it proves itself by signing the root of trust, which verify then checks. */
  readonly keyFile: string;
  readonly passphrase?: string;
}

/**
 * Makes the repository a Shiftgate GitOps repository: a root-of-trust commit signed by the admin (policy.yaml naming
 * them policy-admin, allowed_signers with their key) and the commit pinning it in .shiftgate/trust-root, pushed to
 * the branch. The policy starts from the documented example (environments, approvals, segregation) without plants
 * or other people: the admin adds those in further signed commits.
 */
export async function initialisePolicy(
  work: string,
  branch: string,
  admin: PolicyAdmin,
  ctx: GitContext,
  clock: Clock,
): Promise<void> {
  const publicLine = await provedPublicKey(admin);
  const policy = {
    ...demoPolicy([]),
    plants: [],
    people: [{ email: admin.email, name: admin.name, roles: ["policy-admin" as const], plants: [] }],
  };
  // What is written must read back as a policy: a bad name or e-mail fails here, before anything is signed.
  const text = writePolicy(policy);
  parsePolicy(text);
  const repo: GitopsRepo = { dir: work, branch, remote: "origin", ctx };
  await git(ctx, work, ["checkout", "--quiet", "-B", branch]);
  const signer: Signer = {
    name: admin.name,
    email: admin.email,
    key: { format: "ssh", keyFile: admin.keyFile, passphrase: admin.passphrase },
  };
  const root = await commitFiles(
    repo,
    signer,
    [
      { path: ".shiftgate/policy.yaml", content: text },
      { path: ".shiftgate/allowed_signers", content: allowedSignersText([{ email: admin.email, publicLine }]) },
    ],
    "Shiftgate policy and signers: root of trust\n",
    clock.now(),
  );
  await commitFiles(
    repo,
    signer,
    [{ path: TRUST_ROOT_PATH, content: `${root}\n` }],
    "Pin the root of trust\n",
    clock.now(),
  );
  await git(ctx, work, ["push", "--quiet", "origin", `HEAD:refs/heads/${branch}`], {
    doing: "push the initialised policy to the GitOps remote",
  });
}

// ssh-keygen derives the public key from the private one (asking its passphrase): only the holder can do that.
async function provedPublicKey(admin: PolicyAdmin): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)("ssh-keygen", [
      "-y",
      "-P",
      admin.passphrase ?? "",
      "-f",
      admin.keyFile,
    ]);
    return stdout.trim();
  } catch {
    throw new AppError(
      "signing",
      `${admin.keyFile} is not an SSH private key this laptop can open (wrong passphrase, or not a key); nothing was initialised.`,
      { reason: "key-not-proved" },
    );
  }
}
