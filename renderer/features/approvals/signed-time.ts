/** "2026-12-01 09:12:44 UTC+01:00": the signer's own wall time and offset, not the reader's. */
export function signedTime(rfc3339: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(rfc3339);
  if (!m) return rfc3339;
  return `${m[1]} ${m[2]} UTC${m[3] === "Z" ? "" : m[3]}`;
}
