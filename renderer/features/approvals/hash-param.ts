import { useEffect, useState } from "react";

/** A query parameter of the location hash (`#/approvals?change=<id>`), following hash changes. */
export function useHashParam(name: string): string | null {
  const read = () => new URLSearchParams(window.location.hash.split("?")[1] ?? "").get(name);
  const [value, setValue] = useState(read);
  useEffect(() => {
    const update = () => setValue(new URLSearchParams(window.location.hash.split("?")[1] ?? "").get(name));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, [name]);
  return value;
}

/** Sets or clears a hash parameter of a page, keeping the page. */
export function setHashParam(page: string, name: string, value: string | null): void {
  window.location.hash = value === null ? `#/${page}` : `#/${page}?${name}=${encodeURIComponent(value)}`;
}
