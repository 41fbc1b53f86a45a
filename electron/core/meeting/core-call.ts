import {
  AppError,
  type CallResult,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from "../../../shared/contract/index";
import type { Dispatch, Door } from "../dispatch";

/** Calls another capability through the contract, as the door that made the outer call; throws its AppError. */
export type CoreCall = <M extends MethodName>(method: M, input: MethodInput<M>, door: Door) => Promise<MethodOutput<M>>;

/** Calls a method that may not exist yet (a capability still being built); the raw result, never a throw. */
export type LooseCall = (method: string, input: unknown, door: Door) => Promise<CallResult>;

/** Both call forms over the core's own dispatcher. */
export interface SelfCall {
  readonly call: CoreCall;
  readonly loose: LooseCall;
}

/**
 * Builds the calls the meeting, report and home capabilities make into the others. The dispatcher is read
 * lazily because it is built from the handlers that receive these calls. Going through the contract (rather
 * than importing another capability's functions) keeps each capability's rules, audit and identity checks
 * in force, exactly as if the user had made the call.
 */
export function selfCall(dispatch: () => Dispatch): SelfCall {
  const loose: LooseCall = async (method, input, door) => {
    try {
      return await dispatch()(method, input, door);
    } catch {
      return { ok: false, error: { code: "internal", message: `${method} failed inside Shiftgate.` } };
    }
  };
  const call: CoreCall = async (method, input, door) => {
    const result = await loose(method, input, door);
    if (!result.ok) throw AppError.fromData(result.error);
    return result.value as MethodOutput<typeof method>;
  };
  return { call, loose };
}
