import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";

// The local time zone as glibc sees it: the TZif file TZ names (or /etc/localtime), read per RFC 8536. Needed
// because JavaScript's zone data (ICU) does not expose tzdata's isdst flag, which glibc's mktime(tm_isdst = 0)
// follows: in tzdata's main format Europe/Dublin's summer time is its standard time.

/** One local time type: offset east of UTC in seconds, and tzdata's DST flag. */
interface LocalType {
  readonly utoff: number;
  readonly isdst: boolean;
}

export interface Zone {
  readonly times: readonly number[];
  readonly types: readonly LocalType[];
  /** The type of the time before each transition's successor: types[index[i]] holds from times[i]. */
  readonly index: readonly number[];
  readonly initial: LocalType;
}

const zones = new Map<string, Zone | null>();

/** The process's local zone as a TZif file describes it, or null when TZ names no readable zone file. */
export function localZone(): Zone | null {
  const tz = process.env.TZ;
  const key = tz ?? "";
  if (!zones.has(key)) zones.set(key, readZone(tz));
  return zones.get(key) ?? null;
}

/**
 * The local time type at Unix time `t` in `zone`, or null when the file cannot answer: `t` after its last
 * transition, where its POSIX rule string applies instead.
 */
export function localTypeAt(zone: Zone, t: number): LocalType | null {
  const { times } = zone;
  if (times.length === 0 || t < (times[0] as number)) return zone.initial;
  if (t > (times[times.length - 1] as number)) return null;
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((times[mid] as number) <= t) lo = mid;
    else hi = mid - 1;
  }
  return zone.types[zone.index[lo] as number] ?? null;
}

function readZone(tz: string | undefined): Zone | null {
  // glibc: TZ unset → /etc/localtime; a leading ':' is dropped; a relative name is looked up under TZDIR.
  const name = tz === undefined ? "/etc/localtime" : tz.replace(/^:/, "");
  if (name === "") return null;
  const path = isAbsolute(name) ? name : join(process.env.TZDIR ?? "/usr/share/zoneinfo", name);
  try {
    return parseTzif(readFileSync(path));
  } catch {
    return null;
  }
}

function parseTzif(buf: Buffer): Zone | null {
  if (buf.subarray(0, 4).toString("latin1") !== "TZif") return null;
  const counts = (at: number) => [0, 1, 2, 3, 4, 5].map((i) => buf.readUInt32BE(at + 20 + i * 4));
  const [isut = 0, isstd = 0, leap = 0, timecnt = 0, typecnt = 0, charcnt = 0] = counts(0);
  let at = 44;
  let width = 4;
  let c = { isut, isstd, leap, timecnt, typecnt, charcnt };
  if (buf[4] !== 0) {
    // Version 2+: skip the 32-bit block; the 64-bit one follows with its own header.
    at += timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
    const [u = 0, s = 0, l = 0, tc = 0, ty = 0, ch = 0] = counts(at);
    c = { isut: u, isstd: s, leap: l, timecnt: tc, typecnt: ty, charcnt: ch };
    at += 44;
    width = 8;
  }
  const times: number[] = [];
  for (let i = 0; i < c.timecnt; i++)
    times.push(width === 8 ? Number(buf.readBigInt64BE(at + i * 8)) : buf.readInt32BE(at + i * 4));
  at += c.timecnt * width;
  const index = [...buf.subarray(at, at + c.timecnt)];
  at += c.timecnt;
  const types: LocalType[] = [];
  for (let i = 0; i < c.typecnt; i++)
    types.push({ utoff: buf.readInt32BE(at + i * 6), isdst: buf[at + i * 6 + 4] === 1 });
  // Before the first transition glibc uses the first type that is not DST.
  const initial = types.find((t) => !t.isdst) ?? types[0];
  return initial ? { times, types, index, initial } : null;
}
