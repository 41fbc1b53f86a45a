import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

/** An instant as RFC 3339 with the offset of a zone ("2026-12-01T09:12:44+01:00"): the zone is part of the record. */
export function zonedIso(at: Date, timeZone: string): string {
  return format(new TZDate(at.getTime(), timeZone), "yyyy-MM-dd'T'HH:mm:ssxxx");
}
