import type { HomeSection } from "../../../shared/contract/methods/home";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { FirstRunChoice } from "../gitops/first-run-choice";
import "./home.css";

function SectionCard({ section }: { readonly section: HomeSection }) {
  const count = section.items.length;
  const tone =
    section.state !== "ok"
      ? "quiet"
      : count === 0
        ? "clear"
        : section.items.some((i) => i.severity === "critical")
          ? "critical"
          : "warning";
  return (
    <section className={`home-card ${tone}`} data-testid={`home-${section.id}`} aria-label={section.label}>
      <header>
        <h2>{section.label}</h2>
        <span className="home-count">{section.state === "ok" ? count : "–"}</span>
      </header>
      {section.state === "not-configured" ? <p className="muted">Not configured: {section.message}</p> : null}
      {section.state === "error" ? <p className="home-error">{section.message}</p> : null}
      {section.state === "ok" && count === 0 ? <p className="muted">Nothing needs you here.</p> : null}
      <ul>
        {section.items.slice(0, 6).map((i) => (
          <li key={i.key} className={i.severity}>
            <a href={i.route}>
              <span className="home-item-title">{i.title}</span>
              <span className="home-item-detail">{i.detail}</span>
            </a>
          </li>
        ))}
      </ul>
      {count > 6 ? <p className="muted">and {count - 6} more</p> : null}
    </section>
  );
}

/** What needs me now: each card one click from the place that deals with it. */
export function HomePage() {
  const summary = useMethodQuery("home.summary", {});
  const total = summary.data?.sections.reduce((n, s) => n + s.items.length, 0) ?? 0;
  return (
    <section className="page home-page">
      <header className="home-head">
        <h1>What needs me now</h1>
        <span className="muted" data-testid="home-me">
          {summary.data ? (
            summary.data.me ? (
              `Signed in with the key of ${summary.data.me}`
            ) : (
              // Approvals, waivers and minutes are signed as the key's holder: without one this page has no "me".
              <>
                No signing key selected: <a href="#/approvals">choose yours</a> to see what needs you.
              </>
            )
          ) : null}
        </span>
        <span className="home-total">{summary.data ? `${total} open item${total === 1 ? "" : "s"}` : ""}</span>
        <a className="btn primary" href="#/meeting">
          CAB meeting
        </a>
      </header>
      <FirstRunChoice />
      {summary.error ? <ErrorBox error={summary.error} /> : null}
      <div className="home-grid">
        {summary.data?.sections.map((s) => (
          <SectionCard key={s.id} section={s} />
        ))}
      </div>
    </section>
  );
}
