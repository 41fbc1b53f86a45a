import { type FormEvent, useId, useRef, useState } from "react";
import { isAppError } from "../../../shared/contract/index";
import type { PlantImportPreview, PlantSummary } from "../../../shared/contract/methods/calendar";
import type { CategoryRule } from "../../../shared/domain/calendar/index";
import { PASTED } from "./calendar-lane";
import { ImportDiff } from "./import-diff";
import { ImportMapping } from "./import-mapping";
import "./import-panel.css";

/** Where an import failed, as the parser reported it (file and line when there is one). */
function describeError(e: unknown): { readonly message: string; readonly line: number | null } {
  const message = e instanceof Error ? e.message : String(e);
  const raw = isAppError(e) ? e.details?.line : undefined;
  const line = typeof raw === "number" ? raw : Number(/line (\d+)/i.exec(message)?.[1] ?? Number.NaN);
  return { message, line: Number.isFinite(line) ? line : null };
}

/** A replacement read and diffed, waiting for the planner's confirmation. */
interface Pending {
  readonly ics: string;
  readonly fileName: string;
  readonly preview: PlantImportPreview;
  readonly mapping?: CategoryRule[];
}

/** What an import request carries. */
interface ImportInput {
  ics: string;
  fileName: string;
  replace: boolean;
  mapping?: CategoryRule[];
}

/**
 * Imports one plant calendar from an .ics file or pasted text. A broken file is refused whole; the message
 * names the line so the plant's planner can fix it in their own calendar tool. Replacing an existing plant's
 * calendar first shows what it adds and drops, and applies only when confirmed.
 */
export function ImportPanel({
  onImport,
  onPreview,
  onClose,
}: {
  readonly onImport: (input: ImportInput) => Promise<PlantSummary>;
  readonly onPreview: (input: {
    ics: string;
    fileName: string;
    mapping?: CategoryRule[];
  }) => Promise<PlantImportPreview>;
  readonly onClose: () => void;
}) {
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState("");
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; line: number | null } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  // A calendar whose events have no CATEGORIES waits here for its mapping (a loud warning, never a silent import).
  const [unmapped, setUnmapped] = useState<Pending | null>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);

  // Pasted text with a broken line: select that line, so the planner sees exactly what the parser refused.
  const showLine = (line: number) => {
    const el = textArea.current;
    if (!el || el.value === "") return;
    const lines = el.value.split(/\n/);
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    const ics = file ? await file.text() : text;
    if (ics.trim() === "") {
      setError({ message: "Choose an .ics file or paste the calendar's text.", line: null });
      return;
    }
    setBusy(true);
    const fileName = file?.name ?? PASTED;
    try {
      const preview = await onPreview({ ics, fileName });
      if (preview.warning !== null) {
        setUnmapped({ ics, fileName, preview });
        return;
      }
      // An existing plant: nothing is written until the planner has seen what goes.
      if (replace && preview.plant !== null) {
        setPending({ ics, fileName, preview });
        return;
      }
      await apply({ ics, fileName, replace });
    } catch (err) {
      const described = describeError(err);
      setError(described);
      if (!file && described.line !== null) showLine(described.line);
    } finally {
      setBusy(false);
    }
  };

  const applyMapping = async (mapping: CategoryRule[]) => {
    if (!unmapped) return;
    const { ics, fileName } = unmapped;
    setBusy(true);
    setError(null);
    try {
      const preview = await onPreview({ ics, fileName, mapping });
      setUnmapped(null);
      if (replace && preview.plant !== null) setPending({ ics, fileName, preview, mapping });
      else await apply({ ics, fileName, replace, mapping });
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const apply = async (input: ImportInput) => {
    const record = await onImport(input);
    setDone(`Imported ${record.name} (${record.timeZone}, ${record.eventCount} events).`);
    setText("");
  };

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setError(null);
    try {
      await apply({ ics: pending.ics, fileName: pending.fileName, replace: true, mapping: pending.mapping });
      setPending(null);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="cal-import" onSubmit={submit} data-testid="calendar-import" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Import a plant calendar</h2>
      <p className="muted">
        One iCalendar file per plant: X-WR-CALNAME names the plant, X-WR-TIMEZONE its zone; events carry CATEGORIES
        SHIFT, BLACKOUT or MAINTENANCE.
      </p>
      <div className="cal-import-row">
        <label htmlFor={`${ids}-file`}>.ics file</label>
        <input
          id={`${ids}-file`}
          type="file"
          accept=".ics,text/calendar"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          data-testid="calendar-import-file"
        />
      </div>
      <label htmlFor={`${ids}-text`}>…or paste the calendar</label>
      <textarea
        ref={textArea}
        id={`${ids}-text`}
        rows={6}
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        placeholder="BEGIN:VCALENDAR…"
        data-testid="calendar-import-text"
      />
      <label className="cal-import-check">
        <input
          type="checkbox"
          checked={replace}
          onChange={(e) => setReplace(e.target.checked)}
          data-testid="calendar-import-replace"
        />
        Replace the calendar of a plant with the same name
      </label>
      {unmapped?.preview.warning && (
        <ImportMapping
          warning={unmapped.preview.warning}
          uncategorised={unmapped.preview.uncategorised}
          busy={busy}
          onApply={applyMapping}
          onCancel={() => setUnmapped(null)}
        />
      )}
      {pending && (
        <ImportDiff preview={pending.preview} busy={busy} onConfirm={confirm} onCancel={() => setPending(null)} />
      )}
      {error && (
        <div className="error-box" role="alert" data-testid="calendar-import-error">
          {error.line !== null && <b>Line {error.line}: </b>}
          {error.message}
        </div>
      )}
      {done && (
        <output className="cal-import-done" data-testid="calendar-import-done">
          {done}
        </output>
      )}
      <div className="cal-import-actions">
        <button
          type="submit"
          className="btn primary"
          disabled={busy || pending !== null || unmapped !== null}
          data-testid="calendar-import-submit"
        >
          {busy ? "Importing…" : "Import"}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
