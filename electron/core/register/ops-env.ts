import { DEFAULT_GATE_POLICY, type GatePolicy, type KnownPlants } from "../../../shared/domain/policy/index";
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
  /** The gates the policy in force requires per stage; without it, the built-in default (gate-rules.ts). */
  readonly gatePolicy?: () => GatePolicy;
  /** Queues (dispatch) or writes (demo seed) one audit row in the current transaction. */
  readonly audit: (entry: RegisterAuditInput) => void;
}

/** The gate policy an operation judges by. */
export function gatePolicyOf(env: Pick<OpEnv, "gatePolicy">): GatePolicy {
  return env.gatePolicy ? env.gatePolicy() : DEFAULT_GATE_POLICY;
}
