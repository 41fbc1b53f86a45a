import { useEffect, useState } from "react";
import { type RegisterView, registerHref, registerViewFromHash } from "./register-route";

/** The register screen of the current hash, following hash changes. */
export function useRegisterView(): RegisterView {
  const [view, setView] = useState(() => registerViewFromHash(window.location.hash));
  useEffect(() => {
    const update = () => setView(registerViewFromHash(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return view;
}

/** Goes to a register screen. */
export function goTo(view: RegisterView): void {
  window.location.hash = registerHref(view);
}
