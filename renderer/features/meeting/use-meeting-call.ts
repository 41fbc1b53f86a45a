import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { MethodInput, MethodName, MethodOutput } from "../../../shared/contract/index";
import { useClient } from "../../api/client-context";

/** A meeting write: on success the open meeting (and the register lists) are read again. */
export function useMeetingCall<M extends MethodName>(method: M) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation<MethodOutput<M>, Error, MethodInput<M>>({
    mutationFn: (input) => client.call(method, input),
    // Refetch in the background: returning the promise would keep the call pending until every query had reloaded.
    onSuccess: () => {
      void queryClient.invalidateQueries();
    },
  });
}

/** "4:05" from seconds; hours when it gets that long. */
export function clockText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** Short local date and time of an instant, with the zone it is read in. */
export function whenText(iso: string, timeZone?: string): string {
  return new Date(iso).toLocaleString("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  });
}
