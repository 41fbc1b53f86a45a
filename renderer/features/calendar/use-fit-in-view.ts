import { type RefObject, useLayoutEffect, useRef, useState } from "react";

/**
 * Whether a popup drawn below its anchor (a tip under a bar, a list under a chip) should open upwards instead: when
 * it would run past the window's bottom edge and there is room for it above the anchor (`anchorHeight` px tall).
 * Measured once per placement (`key`), not on every pointer move, so a drag never pays for a layout read per frame.
 */
export function useFitInView<T extends HTMLElement>(key: string, anchorHeight: number): [RefObject<T | null>, boolean] {
  const ref = useRef<T | null>(null);
  const [up, setUp] = useState<{ key: string; up: boolean } | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || up?.key === key) return;
    const box = el.getBoundingClientRect();
    const flip = box.bottom > window.innerHeight && box.top - anchorHeight - box.height >= 0;
    setUp({ key, up: flip });
  }, [key, anchorHeight, up]);
  return [ref, up?.key === key && up.up];
}
