import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { MethodInput, MethodName, MethodOutput } from "../../../shared/contract/index";
import { useClient } from "../../api/client-context";

// Queries a register write can make stale; the event stream refreshes them too, but only when a socket is up.
const REGISTER_READS: readonly MethodName[] = ["change.list", "change.get", "audit.list"];

/** A mutation over one contract method that refreshes the register's reads once it succeeds. */
export function useMethodMutation<M extends MethodName>(method: M, onSuccess?: (value: MethodOutput<M>) => void) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation<MethodOutput<M>, Error, MethodInput<M>>({
    mutationFn: (input) => client.call(method, input),
    onSuccess: async (value) => {
      await Promise.all(REGISTER_READS.map((m) => queryClient.invalidateQueries({ queryKey: [m] })));
      onSuccess?.(value);
    },
  });
}
