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
      await queryClient.invalidateQueries();
      onSuccess?.(value);
    },
  });
}
