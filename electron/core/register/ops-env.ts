import type { KnownPlants } from "../../../shared/domain/policy/index";
import type { Door } from "../dispatch";
import type { RoleDirectory } from "./actor";
import type { RegisterAuditInput } from "./audit";
import type { Db } from "./db";

/** What a register operation runs with: the open database, the moment, who acts and where its audit rows go. */
export interface OpEnv {
  readonly db: Db;
  readonly now: Date;
  readonly actor: string;
  readonly door: Door;
  readonly newId: () => string;
  readonly roles: RoleDirectory;
  /** The plants a change may name (the policy in force); without it, the plants the register's calendar holds. */
  readonly plants?: () => KnownPlants;
  /** Queues (dispatch) or writes (demo seed) one audit row in the current transaction. */
  readonly audit: (entry: RegisterAuditInput) => void;
}
