import { useEffect, useRef, useState } from "react";
import type { ChangeSummary } from "../../../shared/contract/methods/register";
import { displayNumber } from "../../../shared/domain/register/change-number";
import { useMethodQuery } from "../../api/queries";
import { usePageKeys } from "../../components/page-keys";
import { registerHref } from "../register/register-route";
import { useDebounced } from "../register/use-debounced";
import "./command-palette.css";

const SHOWN = 8;

/** Ctrl+K (⌘K) anywhere, or the nav's Search: find a change by the number the screens show, or by words. */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  usePageKeys("palette", (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") {
      e.preventDefault();
      setOpen(true);
    }
  });
  return (
    <>
      <button
        type="button"
        className="palette-open"
        aria-keyshortcuts="Control+K"
        title="Ctrl+K"
        data-testid="palette-open"
        onClick={() => setOpen(true)}
      >
        Find a change…
      </button>
      {open && <PaletteDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function PaletteDialog({ onClose }: { readonly onClose: () => void }) {
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const q = useDebounced(text.trim(), 150);
  const found = useMethodQuery(
    "change.list",
    { q, page: 1, pageSize: SHOWN, sort: { field: "updatedAt", dir: "desc" } },
    q.length > 0,
  );
  useEffect(() => input.current?.focus(), []);
  const items: readonly ChangeSummary[] = q.length > 0 ? (found.data?.items ?? []) : [];
  const go = (c: ChangeSummary | undefined) => {
    if (!c) return;
    window.location.hash = registerHref({ kind: "change", id: c.id });
    onClose();
  };
  return (
    <div className="palette-backdrop">
      <div className="palette" role="dialog" aria-label="Find a change" data-testid="palette">
        <input
          ref={input}
          type="search"
          value={text}
          placeholder="Change number (CHG-2026-0007, DRAFT-…) or words"
          aria-label="Find a change"
          data-testid="palette-input"
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === "Escape") onClose();
            if (e.key === "ArrowDown") setActive((a) => Math.min(a + 1, items.length - 1));
            if (e.key === "ArrowUp") setActive((a) => Math.max(a - 1, 0));
            if (e.key === "Enter") go(items[active]);
          }}
        />
        <ul className="palette-results" data-testid="palette-results">
          {q.length > 0 && found.data && items.length === 0 && <li className="muted">No change matches “{q}”.</li>}
          {items.map((c, i) => (
            <li key={c.id}>
              <a
                aria-current={i === active ? "true" : undefined}
                href={registerHref({ kind: "change", id: c.id })}
                data-testid="palette-result"
                className={i === active ? "active" : undefined}
                onClick={onClose}
              >
                <span className="palette-number">{displayNumber(c)}</span> {c.title}
              </a>
            </li>
          ))}
        </ul>
        <p className="muted palette-hint">
          ↑↓ choose · Enter open · Esc{" "}
          <button type="button" className="btn" onClick={onClose} data-testid="palette-close">
            Close
          </button>
        </p>
      </div>
    </div>
  );
}
