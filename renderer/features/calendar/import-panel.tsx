import { type FormEvent, useId, useRef, useState } from "react";
import { isAppError } from "../../../shared/contract/index";
import type { PlantSummary } from "../../../shared/contract/methods/calendar";
import { PASTED } from "./calendar-lane";
import "./import-panel.css";

/** Where an import failed, as the parser reported it (file and line when there is one). */
function describeError(e: unknown): { readonly message: string; readonly line: number | null } {
  const message = e instanceof Error ? e.message : String(e);
  const raw = isAppError(e) ? e.details?.line : undefined;
  const line = typeof raw === "number" ? raw : Number(/line (\d+)/i.exec(message)?.[1] ?? Number.NaN);
  return { message, line: Number.isFinite(line) ? line : null };
}

/**
 * Imports one plant calendar from an .ics file or pasted text. A broken file is refused whole; the message
 * names the line so the plant's planner can fix it in their own calendar tool.
 */
export function ImportPanel({
  onImport,
  onClose,
}: {
  readonly onImport: (input: { ics: string; fileName: string; replace: boolean }) => Promise<PlantSummary>;
  readonly onClose: () => void;
}) {
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState("");
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; line: number | null } | null>(null);
  const [done, setDone] = useState<string | null>(null);
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
    try {
      const record = await onImport({ ics, fileName: file?.name ?? PASTED, replace });
      setDone(`Imported ${record.name} (${record.timeZone}, ${record.eventCount} events).`);
      setText("");
    } catch (err) {
      const described = describeError(err);
      setError(described);
      if (!file && described.line !== null) showLine(described.line);
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
        <button type="submit" className="btn primary" disabled={busy} data-testid="calendar-import-submit">
          {busy ? "Importing…" : "Import"}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
