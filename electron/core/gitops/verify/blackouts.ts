import type { BlackoutInterval, BlackoutSource } from "./findings";

/**
 * A minimal BLACKOUT reader used until the calendar engine is wired in: single VEVENTs with UTC (`Z`) or
 * offset-less times read as UTC, CATEGORIES containing BLACKOUT; no recurrence, no zones.
 */
export const fallbackBlackouts: BlackoutSource = (_plant, icsText, from, to) => {
  const out: BlackoutInterval[] = [];
  const unfolded = icsText.replace(/\r?\n[ \t]/g, "");
  for (const block of unfolded.split("BEGIN:VEVENT").slice(1)) {
    if (!/^CATEGORIES[^:]*:.*\bBLACKOUT\b/im.test(block)) continue;
    const start = readTime(/^DTSTART[^:]*:(.+)$/im.exec(block)?.[1]);
    const end = readTime(/^DTEND[^:]*:(.+)$/im.exec(block)?.[1]);
    if (start && end && start < to && end > from) out.push({ start, end });
  }
  return out;
};

function readTime(text: string | undefined): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?Z?$/.exec(text?.trim() ?? "");
  if (!m) return null;
  return new Date(
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)),
  );
}
