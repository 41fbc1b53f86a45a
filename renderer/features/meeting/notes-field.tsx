import { useEffect, useState } from "react";

/**
 * A notes box that saves when it loses focus (or on Ctrl+Enter), so typing never waits for the core;
 * Escape leaves it and gives the keys back to meeting mode.
 */
export function NotesField({
  label,
  value,
  disabled,
  onSave,
  testId,
  id,
}: {
  readonly label: string;
  readonly value: string;
  readonly disabled: boolean;
  readonly onSave: (notes: string) => void;
  readonly testId: string;
  readonly id: string;
}) {
  const [text, setText] = useState(value);
  // A new item (or someone else's save) replaces what is shown, unless the user is typing here.
  useEffect(() => {
    if (document.activeElement?.id !== id) setText(value);
  }, [value, id]);
  const save = () => {
    if (text !== value) onSave(text);
  };
  return (
    <label className="mtg-notes">
      <span>{label}</span>
      <textarea
        id={id}
        value={text}
        disabled={disabled}
        rows={3}
        data-testid={testId}
        onChange={(e) => setText(e.target.value)}
        onBlur={save}
        onKeyDown={(e) => {
          if (e.key === "Escape") e.currentTarget.blur();
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) e.currentTarget.blur();
        }}
      />
    </label>
  );
}
