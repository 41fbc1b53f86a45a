import { useEffect, useMemo, useState } from "react";

/**
 * The core's time now, from when the core last said what time it was (`readAt`, on its clock) and when that
 * answer arrived (on the viewer's clock): a browser whose clock is off still counts item timers from the core's.
 */
export function coreNow(readAt: string, receivedAt: number, browserNow: number): number {
  return Date.parse(readAt) + (browserNow - receivedAt);
}

/** The core's clock, ticking every second while `active` (a running timer). */
export function useCoreNow(readAt: string, active: boolean): number {
  // A fresh reading of the core's clock resets the reference point.
  const receivedAt = useMemo(() => (readAt ? Date.now() : 0), [readAt]);
  const [browserNow, setBrowserNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = window.setInterval(() => setBrowserNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [active]);
  return coreNow(readAt, receivedAt, Math.max(browserNow, receivedAt));
}
