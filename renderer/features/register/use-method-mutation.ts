import type { MethodName, MethodOutput } from "../../../shared/contract/index";
import { useMethodCall } from "../../api/mutation";

/** A register write: refreshes the reads its events name, once (see renderer/api/mutation.ts). */
export function useMethodMutation<M extends MethodName>(method: M, onSuccess?: (value: MethodOutput<M>) => void) {
  return useMethodCall(method, { onSuccess });
}
