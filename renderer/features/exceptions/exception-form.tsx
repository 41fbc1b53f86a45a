import { useState } from "react";
import { BOUNDS } from "../../../shared/contract/bounds";
import { AREAS, type Area } from "../../../shared/contract/index";
import { ErrorBox } from "../../components/error-box";
import { Field } from "../../components/field";
import { fieldIssue } from "../../components/field-issue";
import { useCall } from "../approvals/use-call";
import { oneOf } from "../register/format";
import { vocabularyOptions } from "../register/vocabulary-options";
import { localInputToRfc3339 } from "./local-time";

const EMPTY = {
  title: "",
  area: "platform" as Area,
  plants: "",
  incident: "",
  justification: "",
  start: "",
  end: "",
  actions: "",
  requesterName: "",
  requesterEmail: "",
  implementerName: "",
  implementerEmail: "",
  passphrase: "",
};

/** The IT manager's break-glass log: what happened, why, when, and what was done; signed like an approval. */
export function ExceptionForm() {
  const [f, setF] = useState(EMPTY);
  const log = useCall("exception.log", () => setF(EMPTY));
  const set = (key: keyof typeof EMPTY) => (e: { target: { value: string } }) => setF({ ...f, [key]: e.target.value });
  const start = localInputToRfc3339(f.start);
  const end = localInputToRfc3339(f.end);
  const plants = f.plants
    .split(/[\s,]+/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  const requester = { name: f.requesterName.trim(), email: f.requesterEmail.trim() };
  const ready =
    f.title.trim() &&
    f.incident.trim() &&
    f.justification.trim() &&
    f.actions.trim() &&
    plants.length > 0 &&
    requester.name &&
    requester.email;
  const span = start && end ? Date.parse(end) - Date.parse(start) : 0;
  // The contract's bounds (docs/contract-bounds.md), said here before the core says them again.
  const order =
    start && end && span <= 0
      ? "The end must be after the start."
      : span > BOUNDS.changeWindowDays * 86_400_000
        ? `The break-glass window may span at most ${BOUNDS.changeWindowDays} days.`
        : undefined;
  return (
    <form
      className="panel exception-form"
      aria-labelledby="exception-form-title"
      data-testid="exception-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ready || !start || !end || order) return;
        log.mutate({
          title: f.title.trim(),
          area: f.area,
          plants,
          incident: f.incident.trim(),
          justification: f.justification.trim(),
          breakGlass: { start, end },
          actions: f.actions.trim(),
          // Who raised the fix, never assumed to be the logger: segregation applies to both.
          requester,
          implementer:
            f.implementerEmail.trim() && f.implementerName.trim()
              ? { name: f.implementerName.trim(), email: f.implementerEmail.trim() }
              : null,
          passphrase: f.passphrase,
        });
      }}
    >
      <h2 id="exception-form-title">Log an emergency change</h2>
      <div className="exception-grid">
        <Field label="Title" name="exception-title" required wide>
          {(c) => <input {...c} value={f.title} onChange={set("title")} data-testid="exception-title" />}
        </Field>
        <Field label="Incident reference" name="exception-incident" required>
          {(c) => <input {...c} value={f.incident} onChange={set("incident")} data-testid="exception-incident" />}
        </Field>
        <Field label="Area" name="exception-area">
          {(c) => (
            <select
              {...c}
              value={f.area}
              onChange={(e) => setF({ ...f, area: oneOf(AREAS, e.target.value, "platform") })}
            >
              {vocabularyOptions(AREAS)}
            </select>
          )}
        </Field>
        <Field label="Plants" name="exception-plants" required hint="Plant ids, e.g. chicago, pune">
          {(c) => <input {...c} value={f.plants} onChange={set("plants")} data-testid="exception-plants" />}
        </Field>
        <Field
          label="Break-glass start"
          name="exception-start"
          required
          error={fieldIssue(log.error, "breakGlass.start")}
        >
          {(c) => (
            <input {...c} type="datetime-local" value={f.start} onChange={set("start")} data-testid="exception-start" />
          )}
        </Field>
        <Field
          label="Break-glass end"
          name="exception-end"
          required
          error={order ?? fieldIssue(log.error, "breakGlass.end")}
        >
          {(c) => (
            <input {...c} type="datetime-local" value={f.end} onChange={set("end")} data-testid="exception-end" />
          )}
        </Field>
        <Field label="Justification" name="exception-justification" required wide>
          {(c) => (
            <textarea
              {...c}
              value={f.justification}
              onChange={set("justification")}
              data-testid="exception-justification"
            />
          )}
        </Field>
        <Field label="What was done" name="exception-actions" required wide>
          {(c) => <textarea {...c} value={f.actions} onChange={set("actions")} data-testid="exception-actions" />}
        </Field>
        <Field
          label="Raised by (name)"
          name="exception-requester-name"
          required
          hint="The person who raised the fix, as the policy lists them (you, only if you raised it yourself)."
        >
          {(c) => <input {...c} value={f.requesterName} onChange={set("requesterName")} />}
        </Field>
        <Field label="Requester e-mail" name="exception-requester-email" required>
          {(c) => <input {...c} type="email" value={f.requesterEmail} onChange={set("requesterEmail")} />}
        </Field>
        <Field label="Implementer name" name="exception-implementer-name">
          {(c) => <input {...c} value={f.implementerName} onChange={set("implementerName")} />}
        </Field>
        <Field label="Implementer e-mail" name="exception-implementer-email">
          {(c) => <input {...c} type="email" value={f.implementerEmail} onChange={set("implementerEmail")} />}
        </Field>
        <Field label="Key passphrase" name="exception-passphrase" hint="Re-authenticates you for this signature.">
          {(c) => <input {...c} type="password" autoComplete="off" value={f.passphrase} onChange={set("passphrase")} />}
        </Field>
      </div>
      <div className="action-row">
        <button
          type="submit"
          className="btn primary"
          disabled={!ready || !start || !end || Boolean(order) || log.isPending}
          data-testid="exception-submit"
        >
          Sign and log
        </button>
      </div>
      {log.error && <ErrorBox error={log.error} />}
    </form>
  );
}
