import { type ReactElement, useId } from "react";
import "./field.css";

/** What a field's control needs to be wired to its label and message. */
export interface FieldControlProps {
  readonly id: string;
  readonly "aria-invalid": boolean;
  readonly "aria-describedby": string | undefined;
}

/**
 * A labelled form field with its hint and its inline error right beside it, so a person sees what to fix
 * where they typed it; the control is rendered by `children` with the ids the label and message need.
 */
export function Field({
  label,
  name,
  error,
  hint,
  required = false,
  wide = false,
  children,
}: {
  readonly label: string;
  /** Names the field in test ids: field-<name>, field-<name>-error. */
  readonly name: string;
  readonly error?: string | undefined;
  readonly hint?: string;
  readonly required?: boolean;
  readonly wide?: boolean;
  readonly children: (control: FieldControlProps) => ReactElement;
}) {
  const id = useId();
  const messageId = `${id}-msg`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? messageId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}${wide ? " field-wide" : ""}`} data-testid={`field-${name}`}>
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="field-required" aria-hidden="true">
            {" "}
            *
          </span>
        )}
      </label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {hint && (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={messageId} role="alert" data-testid={`field-${name}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
