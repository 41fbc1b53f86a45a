/** Odoo's datetime text ("2026-12-04 10:00:00", UTC), as its fields hold and its domains compare. */
export function odooDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/** Odoo's date text ("2026-12-04"). */
export function odooDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The major version of a server_version ("17.0" -> 17, "saas~18.2" -> 18). */
export function majorOf(version: string): number {
  const match = /(\d+)/.exec(version);
  return match ? Number(match[1]) : 0;
}
