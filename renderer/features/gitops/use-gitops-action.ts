import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { MethodInput, MethodName, MethodOutput } from "../../../shared/contract/index";
import { useClient } from "../../api/client-context";

// What a push or sync can change: the outbox, signatures, drift, and (sync imports changes) the register.
const READS: readonly MethodName[] = [
  "gitops.outbox",
  "gitops.syncStatus",
  "gitops.changeSignatures",
  "gitops.drift",
  "app.status",
  "change.list",
  "change.get",
  "home.summary",
];

/** A GitOps method call from a button; refreshes what it may have changed, success or not (attempts count). */
export function useGitopsAction<M extends "gitops.push" | "gitops.sync" | "gitops.submit">(method: M) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation<MethodOutput<M>, Error, MethodInput<M>>({
    mutationFn: (input) => client.call(method, input),
    onSettled: async () => {
      await Promise.all(READS.map((m) => queryClient.invalidateQueries({ queryKey: [m] })));
    },
  });
}
