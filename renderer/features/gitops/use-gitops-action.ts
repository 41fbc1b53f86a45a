import type { MethodName } from "../../../shared/contract/index";
import { useInvalidator } from "../../api/client-context";
import { useMethodCall } from "../../api/mutation";

/**
 * A GitOps method call from a button; refreshes what its events name on success. A failed push or sync still
 * counted an attempt in the outbox, so a failure refreshes the GitOps reads too.
 */
export function useGitopsAction<M extends Extract<MethodName, `gitops.${string}`>>(method: M) {
  const invalidator = useInvalidator();
  return useMethodCall(method, {
    onError: () => void invalidator.apply([{ event: "register.changed", payload: { entity: "gitops" } }]),
  });
}
