import { useState } from "react";
import { useMethodQuery } from "../../api/queries";
import "./gitops.css";

const KEPT = "shiftgate.keptDemo";

/** True when the laptop follows the embedded demo (its bare remote inside the data folder), not a plant's repository. */
export function runsDemo(remote: string | null | undefined): boolean {
  return !!remote && /[\\/]gitops[\\/]remote\.git$/.test(remote);
}

/**
 * The first-run choice on the home page: keep trying Shiftgate on the embedded demo, or join the plant's own
 * GitOps repository (the Connect form on the GitOps page). Shown while the laptop runs the demo, until kept.
 */
export function FirstRunChoice() {
  const status = useMethodQuery("app.status", {});
  const [kept, setKept] = useState(() => window.localStorage.getItem(KEPT) === "yes");
  if (kept || !runsDemo(status.data?.gitops.remote)) return null;
  return (
    <section className="first-run-choice" data-testid="first-run-choice" aria-label="Demo or your plant's repository">
      <p>
        This laptop runs the <strong>embedded demo</strong>: three plants, ten people, changes in every state. Keep it
        to try Shiftgate, or join your plant's GitOps repository.
      </p>
      <a className="btn primary" href="#/gitops" data-testid="first-run-join">
        Join my plant's repository
      </a>{" "}
      <button
        type="button"
        className="btn"
        data-testid="first-run-keep-demo"
        onClick={() => {
          window.localStorage.setItem(KEPT, "yes");
          setKept(true);
        }}
      >
        Keep the demo
      </button>
    </section>
  );
}
