import { useQuery } from "@tanstack/react-query";
import type { MethodInput, MethodName, MethodOutput } from "../../shared/contract/index";
import { useClient } from "./client-context";

/** A TanStack query over one contract method; the key is the method and its input. */
export function useMethodQuery<M extends MethodName>(method: M, input: MethodInput<M>, enabled = true) {
  const client = useClient();
  return useQuery<MethodOutput<M>, Error>({
    queryKey: [method, input],
    queryFn: () => client.call(method, input),
    enabled,
  });
}
