import type { MethodName, MethodOutput } from "../../../shared/contract/index";
import { useMethodCall } from "../../api/mutation";

/** A mutation over one contract method (signatures, identity switches): refreshes what its events name, once. */
export function useCall<M extends MethodName>(method: M, onSuccess?: (value: MethodOutput<M>) => void) {
  return useMethodCall(method, { onSuccess });
}
