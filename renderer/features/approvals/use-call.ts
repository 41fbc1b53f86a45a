import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { MethodInput, MethodName, MethodOutput } from "../../../shared/contract/index";
import { useClient } from "../../api/client-context";

/**
 * A mutation over one contract method. A signature or an identity switch changes what every screen shows
 * (inbox, quorum, status, who I am), so all queries are refreshed once it succeeds.
 */
export function useCall<M extends MethodName>(method: M, onSuccess?: (value: MethodOutput<M>) => void) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation<MethodOutput<M>, Error, MethodInput<M>>({
    mutationFn: (input) => client.call(method, input),
    onSuccess: async (value) => {
      // A read still in flight was asked before this call: an invalidation would only wait for it (TanStack joins a
      // first fetch that has no data yet), so a screen opened just before a key switch kept the previous person's
      // inbox. Cancel such reads first, so every screen asks again.
      await queryClient.cancelQueries();
      await queryClient.invalidateQueries();
      onSuccess?.(value);
    },
  });
}
