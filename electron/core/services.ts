import type { Clock } from "./clock";
import type { IdSource } from "./ids";
import type { Register } from "./register/db";

/** The effects the core runs on, built once by a composition root (shell, web door, CLI, test). */
export interface CoreServices {
  readonly appVersion: string;
  readonly dataDir: string;
  readonly register: Register;
  readonly clock: Clock;
  /** The one source of new row ids (see ids.ts). */
  readonly ids: IdSource;
  readonly timeZone: string;
  /** The GitOps working copy, or null when none is configured. */
  readonly gitopsDir: string | null;
}
