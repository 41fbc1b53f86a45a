import { type UseMutationOptions, useMutation } from "@tanstack/react-query";
import { AppError, type MethodInput, type MethodName, type MethodOutput } from "../../shared/contract/index";
import { useClient, useInvalidator } from "./client-context";

type Options<M extends MethodName> = Omit<
  UseMutationOptions<MethodOutput<M>, Error, MethodInput<M>>,
  "mutationFn" | "onSuccess"
> & {
  readonly onSuccess?: (value: MethodOutput<M>) => void;
  /** Refresh in the background: the call settles without waiting for the reads it made stale. */
  readonly background?: boolean;
};

/**
 * The one mutation hook: calls a contract method and refreshes exactly the queries the entities its events name
 * make stale, once (the same events arriving on the event stream are not acted on again).
 */
export function useMethodCall<M extends MethodName>(method: M, options: Options<M> = {}) {
  const client = useClient();
  const invalidator = useInvalidator();
  const { onSuccess, background, ...rest } = options;
  return useMutation<MethodOutput<M>, Error, MethodInput<M>>({
    ...rest,
    mutationFn: async (input) => {
      const result = await client.transport.call(method, input);
      if (!result.ok) throw AppError.fromData(result.error);
      const refreshed = invalidator.apply(result.events ?? []);
      if (!background) await refreshed;
      return result.value as MethodOutput<M>;
    },
    onSuccess: (value) => onSuccess?.(value),
  });
}
