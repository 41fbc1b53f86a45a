import {
  AppError,
  type AppErrorData,
  type CallResult,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from "../../../shared/contract/index";
import type { Dispatch, Door } from "../dispatch";

/** Calls another capability through the contract, as the door that made the outer call; throws its AppError. */
export type CoreCall = <M extends MethodName>(method: M, input: MethodInput<M>, door: Door) => Promise<MethodOutput<M>>;

/** A call's typed outcome: the method's output, or the error the core answered with. */
export type Attempted<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: AppErrorData };

/** Calls another capability through the contract and returns its typed outcome, never a throw. */
export type TryCall = <M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  door: Door,
) => Promise<Attempted<MethodOutput<M>>>;

/** Both call forms over the core's own dispatcher. */
export interface SelfCall {
  readonly call: CoreCall;
  readonly attempt: TryCall;
}

/**
 * Builds the calls the meeting, report and home capabilities make into the others. The dispatcher is read
 * lazily because it is built from the handlers that receive these calls. Going through the contract (rather
 * than importing another capability's functions) keeps each capability's rules, audit and identity checks
 * in force, exactly as if the user had made the call.
 */
export function selfCall(dispatch: () => Dispatch): SelfCall {
  const attempt: TryCall = async <M extends MethodName>(method: M, input: MethodInput<M>, door: Door) => {
    let result: CallResult;
    try {
      result = await dispatch()(method, input, door);
    } catch {
      return { ok: false, error: { code: "internal", message: `${method} failed inside Shiftgate.` } };
    }
    // The one place a result is typed: the dispatcher validated the input against this method and ran its handler,
    // whose output type the contract names (serialised to JSON, as every door receives it).
    return result.ok ? { ok: true, value: result.value as MethodOutput<M> } : result;
  };
  const call: CoreCall = async (method, input, door) => {
    const result = await attempt(method, input, door);
    if (!result.ok) throw AppError.fromData(result.error);
    return result.value;
  };
  return { call, attempt };
}
