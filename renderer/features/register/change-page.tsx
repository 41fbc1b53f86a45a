import { useEffect, useRef } from "react";
import type { ChangeDetail } from "../../../shared/contract/index";
import { EDITABLE } from "../../../shared/domain/register/lifecycle";
import { useMethodQuery } from "../../api/queries";
import { Badge, RiskBadge, StatusBadge, WindowPassedBadge } from "../../components/badge";
import { ErrorBox } from "../../components/error-box";
import { PlantWindow } from "../../components/plant-window";
import { artifactText } from "../decision/decision-summary";
import { ChangeSignatures } from "../gitops/change-signatures";
import { ReleaseForm } from "../gitops/release-form";
import { RollbackForm } from "../gitops/rollback-form";
import { AuditTimeline } from "./audit-timeline";
import { CommentsPanel } from "./comments-panel";
import { EvidencePanel } from "./evidence-panel";
import { formatDateTime, humanise } from "./format";
import { GatesPanel } from "./gates-panel";
import { LifecycleActions } from "./lifecycle-actions";
import { UnknownPlantsFlag } from "./plant-picker";
import { RiskPanel } from "./risk-panel";
import "./change-page.css";
import { displayNumber } from "../../../shared/domain/register/change-number";

function Summary({ change }: { readonly change: ChangeDetail }) {
  const person = (p: { name: string; email: string } | null) => (p ? `${p.name} <${p.email}>` : "—");
  const links = [
    ["Incident", change.links.incident],
    ["Ticket", change.links.ticket],
    ["Pull request", change.links.pullRequest],
  ].filter((l): l is [string, string] => l[1] !== null);
  return (
    <section className="panel" aria-labelledby="summary-title" data-testid="change-summary">
      <h2 id="summary-title">Summary</h2>
      {change.description ? (
        <p className="description" data-testid="change-description">
          {change.description}
        </p>
      ) : (
        <p className="muted">No description.</p>
      )}
      <dl className="facts summary-facts">
        <dt>Area</dt>
        <dd data-testid="summary-area">{humanise(change.area)}</dd>
        <dt>Plants</dt>
        <dd data-testid="summary-plants">
          {change.plants.join(", ")}
          <UnknownPlantsFlag ids={change.plants} />
        </dd>
        <dt>Stage → target</dt>
        <dd data-testid="summary-stage">
          {humanise(change.stage)} → {humanise(change.environment)}
        </dd>
        <dt>Window</dt>
        <dd data-testid="summary-window">
          <PlantWindow window={change.window} plants={change.plants} />{" "}
          <WindowPassedBadge passed={change.windowPassed} />
        </dd>
        <dt>Requester</dt>
        <dd>{person(change.requester)}</dd>
        {change.onBehalfOf && (
          <>
            <dt>On behalf of</dt>
            <dd data-testid="summary-on-behalf-of">{person(change.onBehalfOf)}</dd>
          </>
        )}
        <dt>Implementer</dt>
        <dd>{person(change.implementer)}</dd>
        <dt>Database migration</dt>
        <dd>{change.dbMigration ? "Yes" : "No"}</dd>
        <dt>Rollback plan</dt>
        <dd className="pre">{change.rollbackPlan || "—"}</dd>
        <dt>Pre-deployment snapshot / checkpoint</dt>
        <dd>
          {change.snapshotRef ?? "—"} / {change.checkpointRef ?? "—"}
        </dd>
        <dt>Image approved to run</dt>
        <dd data-testid="summary-artifact">{change.artifact ? artifactText(change.artifact) : "—"}</dd>
        {links.map(([label, value]) => (
          <FactLink key={label} label={label} value={value} />
        ))}
        <dt>Created / updated</dt>
        <dd>
          {formatDateTime(change.createdAt)} / {formatDateTime(change.updatedAt)} (v{change.version})
        </dd>
      </dl>
    </section>
  );
}

function FactLink({ label, value }: { readonly label: string; readonly value: string }) {
  // Only web links become anchors: a register value must never run script when clicked.
  const safe = /^https?:\/\//i.test(value);
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {safe ? (
          <a href={value} target="_blank" rel="noreferrer noopener">
            {value}
          </a>
        ) : (
          value
        )}
      </dd>
    </>
  );
}

/** The change page: summary, lifecycle moves, risk, gates per stage, evidence, comments and the audit trail. */
export function ChangePage({ id }: { readonly id: string }) {
  const change = useMethodQuery("change.get", { id });
  const titleRef = useRef<HTMLHeadingElement>(null);
  const loaded = Boolean(change.data);
  // Opening a change from the list unmounts the focused row; the title takes focus so Tab continues here.
  useEffect(() => {
    if (loaded) titleRef.current?.focus({ preventScroll: true });
  }, [loaded]);
  if (change.isPending) return <p className="muted page">Reading the change…</p>;
  if (change.error) {
    return (
      <section className="page">
        <nav className="crumbs">
          <a href="#/register">Register</a>
        </nav>
        <ErrorBox error={change.error} />
      </section>
    );
  }
  const c = change.data;
  return (
    <section
      className="page change-page"
      aria-labelledby="change-title"
      data-testid="change-page"
      data-change-id={c.id}
    >
      <nav className="crumbs">
        <a href="#/register" data-testid="back-to-register">
          Register
        </a>{" "}
        › <span data-testid="change-number">{displayNumber(c)}</span>
      </nav>
      <header className={`change-head risk-edge-${c.type === "emergency" ? "emergency" : (c.risk ?? "none")}`}>
        <h1 id="change-title" data-testid="change-title" ref={titleRef} tabIndex={-1}>
          {c.title}
        </h1>
        <div className="change-badges">
          <StatusBadge status={c.status} testId="change-status" />
          <RiskBadge risk={c.risk} score={c.riskScore} emergency={c.type === "emergency"} testId="change-risk" />
          <Badge tone="neutral">{c.type}</Badge>
          {c.deleted && <Badge tone="bad">deleted</Badge>}
          <span className="spacer" />
          {EDITABLE.includes(c.status) && (
            <a className="btn" href={`#/register/${c.id}/edit`} data-testid="change-edit">
              Edit
            </a>
          )}
        </div>
      </header>
      <LifecycleActions change={c} />
      <div className="change-columns">
        <div className="change-main">
          <Summary change={c} />
          <RiskPanel change={c} />
          <GatesPanel change={c} />
        </div>
        <div className="change-side">
          <AuditTimeline changeId={c.id} />
          <ReleaseForm change={c} />
          <RollbackForm change={c} />
          <ChangeSignatures changeId={c.id} />
          <EvidencePanel change={c} />
          <CommentsPanel change={c} />
        </div>
      </div>
    </section>
  );
}
