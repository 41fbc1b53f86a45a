/** A `datetime-local` value ("2026-12-03T02:10") as RFC 3339 with this computer's offset, or null. */
export function localInputToRfc3339(value: string): string | null {
  const ms = Date.parse(value);
  if (!value || Number.isNaN(ms)) return null;
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${value.length === 16 ? `${value}:00` : value}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
