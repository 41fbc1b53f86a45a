import { type FormEvent, useEffect, useRef, useState } from "react";
import {
  AppError,
  AREAS,
  CHANGE_TYPES,
  type ChangeDetail,
  GATE_NAMES,
  type GateName,
  STAGES,
} from "../../../shared/contract/index";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { Field } from "../../components/field";
import {
  type ChangeFormState,
  EMPTY_FORM,
  errorsFromDetails,
  type FieldErrors,
  type FieldName,
  formFromChange,
  formToInput,
  validateForm,
} from "./change-form-model";
import { humanise } from "./format";
import { PlantPicker } from "./plant-picker";
import { TemplatePicker } from "./template-picker";
import { useMethodMutation } from "./use-method-mutation";
import { goTo } from "./use-register-view";
import { vocabularyOptions } from "./vocabulary-options";
import "./change-form.css";

/**
 * The change form: creates a change, or edits one that is still editable. Problems show beside their
 * field as the person leaves it and all at once on save; an invalid form sends nothing to the core.
 */
export function ChangeForm({ change }: { readonly change?: ChangeDetail }) {
  const [form, setForm] = useState<ChangeFormState>(() => (change ? formFromChange(change) : EMPTY_FORM));
  const [touched, setTouched] = useState<ReadonlySet<FieldName>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [reason, setReason] = useState("");
  const formRef = useRef<HTMLFormElement>(null);
  // A new change's requester is the proved key holder (the core records them whatever a page sends), so the form
  // shows them, read-only; an edit keeps the stored requester, which the core does not let anyone change.
  const me = useMethodQuery("identity.current", {});
  const holderEmail = me.data?.known ? (me.data.email ?? null) : null;
  const holderName = me.data?.name ?? holderEmail;
  const fromKey = holderEmail !== null || change !== undefined;
  useEffect(() => {
    if (change || holderEmail === null) return;
    setForm((f) => ({ ...f, requesterName: holderName ?? holderEmail, requesterEmail: holderEmail }));
  }, [change, holderEmail, holderName]);
  const create = useMethodMutation("change.create", (c) => goTo({ kind: "change", id: c.id }));
  const update = useMethodMutation("change.update", (c) => goTo({ kind: "change", id: c.id }));
  const saving = create.isPending || update.isPending;
  const failure = create.error ?? update.error;

  const local = validateForm(form);
  // Field-level problems from the core show beside their fields; anything else shows in the error box.
  const hasServerErrors = Object.values(serverErrors).some(Boolean);
  const shown = (name: FieldName): string | undefined =>
    serverErrors[name] ?? (submitted || touched.has(name) ? local[name] : undefined);
  // Selects only offer the vocabulary, and the contract's schema re-checks every value before saving.
  const set = (name: FieldName, value: string | boolean | readonly GateName[]) => {
    setForm((f) => ({ ...f, [name]: value }));
    setServerErrors((e) => ({ ...e, [name]: undefined }));
  };
  const blur = (name: FieldName) => () => setTouched((t) => new Set(t).add(name));
  const text = (name: FieldName) => ({
    value: String(form[name]),
    onChange: (e: { target: { value: string } }) => set(name, e.target.value),
    onBlur: blur(name),
    "data-testid": `input-${name}`,
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(local).length > 0) {
      // Take the person to the first problem, in form order.
      queueMicrotask(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus());
      return;
    }
    const onError = (error: Error) => {
      if (error instanceof AppError && error.code === "invalid-input")
        setServerErrors(errorsFromDetails(error.details));
    };
    const input = formToInput(form);
    if (change) {
      update.mutate(
        { id: change.id, expectedVersion: change.version, patch: input, reason: reason.trim() || undefined },
        { onError },
      );
    } else {
      create.mutate(input, { onError });
    }
  };
  const toggleGate = (gate: GateName, on: boolean) =>
    set(
      "validation",
      GATE_NAMES.filter((g) => (g === gate ? on : form.validation.includes(g))),
    );

  return (
    <section className="page change-form-page" aria-labelledby="change-form-title">
      <nav className="crumbs">
        <a href="#/register">Register</a> ›{" "}
        {change ? <a href={`#/register/${change.id}`}>{change.title}</a> : <span>New change</span>}
      </nav>
      <h1 id="change-form-title">{change ? "Edit change" : "New change"}</h1>
      <form ref={formRef} className="change-form" noValidate onSubmit={onSubmit} data-testid="change-form">
        <fieldset>
          <legend>What</legend>
          <Field label="Title" name="title" required wide error={shown("title")}>
            {(c) => <input {...c} {...text("title")} maxLength={200} />}
          </Field>
          <Field label="Description" name="description" wide error={shown("description")}>
            {(c) => <textarea {...c} {...text("description")} />}
          </Field>
          <Field
            label="Type"
            name="type"
            error={shown("type")}
            // Only a standard change comes from a template; the hint would mislead on a normal or emergency one.
            hint={form.type === "standard" ? "Standard: from a pre-approved template." : undefined}
          >
            {(c) => (
              <select {...c} {...text("type")}>
                {vocabularyOptions(CHANGE_TYPES)}
              </select>
            )}
          </Field>
          {form.type === "standard" && (
            <TemplatePicker
              value={form.template}
              error={shown("template")}
              onBlur={blur("template")}
              onChange={(t) => {
                set("template", t?.id ?? "");
                // A template with one area decides it; the core refuses any other.
                if (t?.areas.length === 1 && t.areas[0]) set("area", t.areas[0]);
              }}
            />
          )}
          <Field label="Odoo area" name="area" error={shown("area")}>
            {(c) => (
              <select {...c} {...text("area")}>
                {vocabularyOptions(AREAS)}
              </select>
            )}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Where</legend>
          <Field
            label="Plants"
            name="plants"
            required
            wide
            error={shown("plants")}
            hint="The plants policy.yaml names."
          >
            {(c) => (
              <PlantPicker control={c} value={form.plants} onChange={(v) => set("plants", v)} onBlur={blur("plants")} />
            )}
          </Field>
          <Field label="Target environment" name="environment" error={shown("environment")}>
            {(c) => (
              <select {...c} {...text("environment")}>
                {vocabularyOptions(STAGES)}
              </select>
            )}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Who</legend>
          <Field
            label="Requester name"
            name="requesterName"
            required
            error={shown("requesterName")}
            hint={fromKey ? "You, from your signing key: the requester is who creates the change." : undefined}
          >
            {(c) => <input {...c} {...text("requesterName")} readOnly={fromKey} autoComplete="name" />}
          </Field>
          <Field label="Requester e-mail" name="requesterEmail" required error={shown("requesterEmail")}>
            {(c) => <input {...c} {...text("requesterEmail")} readOnly={fromKey} type="email" autoComplete="email" />}
          </Field>
          <Field label="Implementer name" name="implementerName" error={shown("implementerName")}>
            {(c) => <input {...c} {...text("implementerName")} />}
          </Field>
          <Field label="Implementer e-mail" name="implementerEmail" error={shown("implementerEmail")}>
            {(c) => <input {...c} {...text("implementerEmail")} type="email" />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>When</legend>
          <Field label="Window start" name="windowStart" error={shown("windowStart")} hint="Your local time.">
            {(c) => <input {...c} {...text("windowStart")} type="datetime-local" />}
          </Field>
          <Field label="Window end" name="windowEnd" error={shown("windowEnd")}>
            {(c) => <input {...c} {...text("windowEnd")} type="datetime-local" />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Safety net</legend>
          <label className="check wide" data-testid="field-dbMigration">
            <input
              type="checkbox"
              checked={form.dbMigration}
              data-testid="input-dbMigration"
              onChange={(e) => set("dbMigration", e.target.checked)}
            />
            Includes a database migration
          </label>
          <Field label="Rollback plan" name="rollbackPlan" wide error={shown("rollbackPlan")}>
            {(c) => <textarea {...c} {...text("rollbackPlan")} />}
          </Field>
          <Field label="Pre-deployment snapshot" name="snapshotRef" error={shown("snapshotRef")}>
            {(c) => <input {...c} {...text("snapshotRef")} placeholder="e.g. velero/odoo-2026-12-05" />}
          </Field>
          <Field label="Rollback checkpoint" name="checkpointRef" error={shown("checkpointRef")}>
            {(c) => <input {...c} {...text("checkpointRef")} />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Links</legend>
          <Field label="Incident" name="incident" error={shown("incident")}>
            {(c) => <input {...c} {...text("incident")} />}
          </Field>
          <Field label="Ticket" name="ticket" error={shown("ticket")}>
            {(c) => <input {...c} {...text("ticket")} />}
          </Field>
          <Field label="Pull request" name="pullRequest" wide error={shown("pullRequest")}>
            {(c) => <input {...c} {...text("pullRequest")} type="url" />}
          </Field>
        </fieldset>
        <fieldset data-testid="field-validation">
          <legend>Validation gates required before production</legend>
          <div className="gate-checks wide">
            {GATE_NAMES.map((g) => (
              <label key={g} className="check">
                <input
                  type="checkbox"
                  checked={form.validation.includes(g)}
                  data-testid={`input-validation-${g}`}
                  onChange={(e) => toggleGate(g, e.target.checked)}
                />
                {humanise(g)}
              </label>
            ))}
          </div>
        </fieldset>
        {change && (
          <fieldset>
            <legend>Why this edit</legend>
            <Field label="Reason (kept in the audit trail)" name="reason" wide>
              {(c) => (
                <textarea
                  {...c}
                  value={reason}
                  data-testid="input-reason"
                  onChange={(e) => setReason(e.target.value)}
                />
              )}
            </Field>
          </fieldset>
        )}
        {failure && !(failure instanceof AppError && failure.code === "invalid-input" && hasServerErrors) && (
          <ErrorBox error={failure} />
        )}
        {submitted && Object.keys(local).length > 0 && (
          <p className="form-summary" role="status" data-testid="form-invalid">
            {Object.keys(local).length} field{Object.keys(local).length === 1 ? " needs" : "s need"} attention; nothing
            was saved.
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={saving} data-testid="change-save">
            {saving ? "Saving…" : change ? "Save changes" : "Create change"}
          </button>
          <a className="btn" href={change ? `#/register/${change.id}` : "#/register"} data-testid="change-cancel">
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
