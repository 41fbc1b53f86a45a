import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { weakTokenReason } from "../../web/security";
import { UsageError } from "../args";
import type { CliIo } from "../io";

/** The environment variable that carries a chosen browser-door token (the process list shows arguments, not it). */
const TOKEN_ENV = "SHIFTGATE_WEB_TOKEN";

const MAX_TOKEN_FILE = 4096;

/**
 * The token the user chose for the browser door, from SHIFTGATE_WEB_TOKEN or --token-file, or undefined for a fresh
 * random one. A token on the command line is refused: every user of the machine can read it in the process list.
 */
export function chosenToken(
  flags: { readonly token?: string; readonly "token-file"?: string },
  io: CliIo,
): string | undefined {
  if (flags.token !== undefined)
    throw new UsageError(
      `--token is not accepted: the process list would show it to everyone on this computer. ` +
        `Put the token in the ${TOKEN_ENV} environment variable or in a file given with --token-file FILE`,
    );
  const fromEnv = io.env[TOKEN_ENV] || undefined;
  const file = flags["token-file"];
  if (fromEnv !== undefined && file !== undefined)
    throw new UsageError(`give the token one way: ${TOKEN_ENV} or --token-file, not both`);
  const token = file === undefined ? fromEnv : readTokenFile(resolve(io.cwd, file));
  if (token === undefined) return undefined;
  const weak = weakTokenReason(token);
  const source = file === undefined ? TOKEN_ENV : `--token-file ${file}`;
  if (weak !== null)
    throw new UsageError(
      `${source}: ${weak}. Use at least 32 letters, digits, '-' or '_' (or give none for a random one)`,
    );
  return token;
}

function readTokenFile(path: string): string {
  let text: string;
  try {
    if (statSync(path).size > MAX_TOKEN_FILE) throw new UsageError(`--token-file ${path} is larger than a token`);
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read --token-file ${path}: check that the file exists and you may read it`);
  }
  // A file written by `echo` ends in a newline; the token is the line, not the newline.
  return text.replace(/\r?\n$/, "");
}
