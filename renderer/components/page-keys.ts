import { useEffect, useRef } from "react";

/**
 * Listens for a page's keyboard shortcuts on the window while the page is shown, and marks the document
 * (`<html data-keys="register calendar …">`) once the listener is attached, so a person's (or a test's) first key
 * after navigating is never pressed into a page that is not listening yet. The latest handler is used on each key.
 */
export function usePageKeys(scope: string, onKey: (e: KeyboardEvent) => void): void {
  const handler = useRef(onKey);
  handler.current = onKey;
  useEffect(() => {
    const listener = (e: KeyboardEvent) => handler.current(e);
    window.addEventListener("keydown", listener);
    const root = document.documentElement;
    const scopes = () => new Set((root.dataset.keys ?? "").split(" ").filter(Boolean));
    root.dataset.keys = [...scopes().add(scope)].join(" ");
    return () => {
      window.removeEventListener("keydown", listener);
      const left = scopes();
      left.delete(scope);
      root.dataset.keys = [...left].join(" ");
    };
  }, [scope]);
}
