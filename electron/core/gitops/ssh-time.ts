import { localTypeAt, localZone, type Zone } from "./tzif";

// Times as git and ssh-keygen exchange them when git checks an SSH commit signature.
//
// git 2.39 gpg-interface.c verify_ssh_signed_buffer() passes `-Overify-time=<committer date>` formatted with
// strftime "%Y%m%d%H%M%S" in the LOCAL time zone (no zone suffix); ssh-keygen (OpenSSH 9.2p1 misc.c
// parse_absolute_time()) reads that, and the valid-after/valid-before options of allowed_signers, with
// strptime + mktime on a zeroed struct tm (tm_isdst = 0: local STANDARD time) unless the text ends in "Z" or
// "UTC" (then timegm). Both sides are reproduced here, in the process's own time zone (TZ), as git would.

const FIELDS: Readonly<Record<number, readonly number[]>> = {
  8: [4, 2, 2],
  12: [4, 2, 2, 2, 2],
  14: [4, 2, 2, 2, 2, 2],
};
const LIMITS = [
  [0, 9999],
  [1, 12],
  [1, 31],
  [0, 23],
  [0, 59],
  [0, 61],
] as const;

/** OpenSSH parse_absolute_time(): YYYYMMDD[HHMM[SS]] with optional Z/UTC, as Unix seconds; null if invalid or ≤ 0. */
export function parseSshTime(text: string): number | null {
  let s = text;
  let utc = false;
  if (s.length > 1 && s.slice(-1).toLowerCase() === "z") {
    utc = true;
    s = s.slice(0, -1);
  } else if (s.length > 3 && s.slice(-3).toLowerCase() === "utc") {
    utc = true;
    s = s.slice(0, -3);
  }
  const widths = FIELDS[s.length];
  if (!widths || !/^[0-9]+$/.test(s)) return null;
  const parts: number[] = [];
  let at = 0;
  for (const [i, w] of widths.entries()) {
    const v = Number(s.slice(at, at + w));
    const [lo, hi] = LIMITS[i] ?? [0, 0];
    if (v < lo || v > hi) return null;
    parts.push(v);
    at += w;
  }
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0] = parts;
  // Years before 1969 are before the epoch in every zone (mktime/timegm < 0); Date.UTC would read 0-99 as 19xx.
  if (y < 1969) return null;
  const t = utc ? Date.UTC(y, mo - 1, d, h, mi, sec) / 1000 : localStandardTime(localZone(), y, mo, d, h, mi, sec);
  return t > 0 ? t : null;
}

/** The verify time ssh-keygen ends up with for a commit whose committer timestamp is `seconds` (see above). */
export function gitVerifyTime(seconds: number): number {
  // localtime_r(): the wall-clock fields git formats.
  const zone = localZone();
  const type = zone ? localTypeAt(zone, seconds) : null;
  const local = type ? new Date((seconds + type.utoff) * 1000) : null;
  const fields = local
    ? [
        local.getUTCFullYear(),
        local.getUTCMonth() + 1,
        local.getUTCDate(),
        local.getUTCHours(),
        local.getUTCMinutes(),
        local.getUTCSeconds(),
      ]
    : [];
  if (!local) {
    const d = new Date(seconds * 1000);
    fields.push(d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds());
  }
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = fields;
  return localStandardTime(zone, y, mo, d, h, mi, s);
}

const WEEK = 601_200;
const BOUND = 536_454_000;

/**
 * glibc mktime() on fields with tm_isdst = 0: the fields at their own offset when that time is not DST; otherwise
 * at the offset of the nearest time (probing a week further each way, as glibc's mktime.c does) that is not DST.
 * Where the zone file cannot answer, the zone's standard offset is taken as the larger of January's and July's:
 * right wherever DST is a summer hour.
 */
function localStandardTime(
  zone: Zone | null,
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
  const at = (t: number) => (zone ? localTypeAt(zone, t) : null);
  const here = at(wall - (at(wall)?.utoff ?? 0));
  if (here) {
    const t = wall - here.utoff;
    const type = at(t);
    if (type && !type.isdst) return t;
    for (let delta = WEEK; delta < BOUND; delta += WEEK)
      for (const direction of [-1, 1]) {
        const other = at(t + direction * delta);
        if (other && !other.isdst) return wall - other.utoff;
      }
  }
  const standard = Math.max(new Date(y, 0, 1).getTimezoneOffset(), new Date(y, 6, 1).getTimezoneOffset());
  return wall + standard * 60;
}
