import type { z } from "zod";

/** A method's contract: its input schema, its output type (phantom) and whether it writes. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  /**
   * True when the method changes the register (sync or async handler alike): a sync handler runs in one transaction
   * with its audit rows, a write waits for the register's page check, and every successful call emits at least one
   * `register.changed` event after its result (dispatch names the method's namespace when the handler named none).
   */
  readonly mutates: boolean;
  /** Phantom field carrying the output type; never read at run time. */
  readonly output?: O;
}

/** Declares a method with its input schema and output type. */
export function method<O>() {
  return <I extends z.ZodType>(spec: { readonly input: I; readonly mutates: boolean }): MethodSpec<I, O> => spec;
}
