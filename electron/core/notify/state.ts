import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { AppError } from "../../../shared/contract/errors";
import { type GitContext, git } from "../gitops/git";

/** When each delivery (target, item, recipient) was last sent: what makes a restart send nothing twice. */
type SentState = Map<string, string>;

/** Where the sent-state lives: a git notes ref in the repository, or a file a CI cache keeps. */
export interface StateStore {
  readonly where: string;
  load(): Promise<SentState>;
  save(state: SentState): Promise<void>;
  /** Pushes the notes ref to origin (notes only; a no-op for a file). */
  publish(): Promise<void>;
}

export const DEFAULT_NOTES_REF = "refs/notes/shiftgate-notify";
// The note hangs on this fixed blob, so the state never depends on which commit is the tip.
const ANCHOR_TEXT = "shiftgate notify state\n";
const stateSchema = z.object({ version: z.literal(1), sent: z.record(z.string(), z.string()) }).strict();

function parseState(text: string, where: string): SentState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const parsed = stateSchema.safeParse(value);
  if (!parsed.success)
    throw new AppError(
      "invalid-input",
      `The notify state in ${where} is not readable. Delete it to start over (everything waiting is then sent once more).`,
    );
  return new Map(Object.entries(parsed.data.sent));
}

function stateText(state: SentState): string {
  return `${JSON.stringify({ version: 1, sent: Object.fromEntries([...state].sort()) }, null, 1)}\n`;
}

/** A state file (e.g. restored and saved by the CI cache); written whole, through a rename, so a kill leaves the old or the new. */
export function fileStateStore(path: string): StateStore {
  return {
    where: path,
    load: async () => {
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch {
        return new Map();
      }
      return parseState(text, path);
    },
    save: async (state) => {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, stateText(state));
      renameSync(tmp, path);
    },
    publish: async () => undefined,
  };
}

/** The state as a note under `ref` in the repository; `remote` (with --push) is fetched first and pushed after. */
export function notesStateStore(ctx: GitContext, repo: string, ref: string, remote: string | null): StateStore {
  if (!/^refs\/notes\/[A-Za-z0-9._/-]{1,100}$/.test(ref) || ref.includes(".."))
    throw new AppError("invalid-input", `--notes-ref must be a ref under refs/notes/, not '${ref}'.`);
  // The notes commit needs an author; it is bookkeeping, never judged by verify (it is not on the branch).
  const env = {
    GIT_AUTHOR_NAME: "shiftgate notify",
    GIT_AUTHOR_EMAIL: "notify@shiftgate.invalid",
    GIT_COMMITTER_NAME: "shiftgate notify",
    GIT_COMMITTER_EMAIL: "notify@shiftgate.invalid",
  };
  const anchor = async () =>
    (
      await git(ctx, repo, ["hash-object", "-w", "--stdin"], { input: ANCHOR_TEXT, doing: "write the notify anchor" })
    ).stdout.trim();
  return {
    where: `${ref} in ${repo}`,
    load: async () => {
      if (remote) {
        const fetched = await git(ctx, repo, ["fetch", "--quiet", remote, `+${ref}:${ref}`], {
          okCodes: [1, 128],
          doing: `fetch ${ref}`,
        });
        // A remote without the ref yet is a first run; anything else (unreachable remote) must not resend everything.
        if (fetched.code !== 0 && !/couldn't find remote ref/i.test(fetched.stderr))
          throw new AppError(
            "git-remote",
            `Could not fetch the notify state ${ref} from ${remote}: ${fetched.stderr.trim().split("\n")[0]}`,
          );
      }
      const shown = await git(ctx, repo, ["notes", `--ref=${ref}`, "show", await anchor()], {
        okCodes: [1],
        doing: `read ${ref}`,
      });
      return shown.code === 0 ? parseState(shown.stdout, ref) : new Map();
    },
    save: async (state) => {
      await git(ctx, repo, ["notes", `--ref=${ref}`, "add", "-f", "-F", "-", await anchor()], {
        input: stateText(state),
        env,
        doing: `write ${ref}`,
      });
    },
    publish: async () => {
      if (remote) await git(ctx, repo, ["push", "--quiet", remote, `${ref}:${ref}`], { doing: `push ${ref}` });
    },
  };
}
