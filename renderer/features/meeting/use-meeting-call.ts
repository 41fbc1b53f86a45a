import type { MethodName } from "../../../shared/contract/index";
import { useMethodCall } from "../../api/mutation";

/** A meeting write: the open meeting (and the register lists) its events name are read again in the background. */
export function useMeetingCall<M extends MethodName>(method: M) {
  return useMethodCall(method, { background: true });
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
