import { DAY, HOUR, MINUTE } from "./zone";

/** Parses `90m`, `2h`, `1h30m`, `45s`, `1d` or ISO 8601 `PT2H`/`P1DT2H` into milliseconds; null when malformed. */
export function parseDurationText(text: string): number | null {
  const t = text.trim();
  const short = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i.exec(t);
  if (short && t !== "") {
    const [, d, h, m, s] = short;
    return Number(d ?? 0) * DAY + Number(h ?? 0) * HOUR + Number(m ?? 0) * MINUTE + Number(s ?? 0) * 1000;
  }
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(t);
  if (!iso || t === "P" || /T$/i.test(t)) return null;
  const [, w, d, h, m, s] = iso;
  return (
    Number(w ?? 0) * 7 * DAY +
    Number(d ?? 0) * DAY +
    Number(h ?? 0) * HOUR +
    Number(m ?? 0) * MINUTE +
    Number(s ?? 0) * 1000
  );
}

/** Writes milliseconds as a Go/Argo CD duration: `13h`, `1h30m`, `45m`. */
export function formatGoDuration(ms: number): string {
  const totalMinutes = Math.round(ms / MINUTE);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}
