import type { Db } from "./db";
import { stmt } from "./statements";

/** The newest audit row: what a signed commit anchors. */
export interface AuditHead {
  readonly registerId: string;
  readonly seq: number;
  readonly hash: string;
}

/** One `Audit-Head` trailer found in the GitOps repository. */
export interface AuditAnchor {
  readonly commit: string;
  readonly registerId: string;
  readonly seq: number;
  readonly hash: string;
}

/** What the anchors say about a register whose chain may itself be intact. */
interface AnchorCheck {
  readonly registerId: string | null;
  /** Anchors of this register found in the repository. */
  readonly anchors: number;
  /** The newest anchor the register still matches (its rows up to there are proved by signed commits). */
  readonly anchoredSeq: number;
  /** The first row not covered by a matching anchor, when an anchor disagrees; null when every anchor matches. */
  readonly firstBadSeq: number | null;
  readonly problem: string | null;
}

/** The register's id (set by migration 0008), or null for a register older than that. */
export function registerId(db: Db): string | null {
  const row = stmt(db, "SELECT value FROM settings WHERE key = 'register.id'").get() as { value: string } | undefined;
  return row?.value ?? null;
}

/** The audit head to anchor in a commit: null when the register has no id or no audit rows yet. */
export function auditHead(db: Db): AuditHead | null {
  const id = registerId(db);
  if (id === null) return null;
  const last = stmt(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").get() as
    | { seq: number; hash: string }
    | undefined;
  return last ? { registerId: id, seq: last.seq, hash: last.hash } : null;
}

/** The trailer value: `<register-id> <seq> <hash>`. */
export function formatAuditHead(head: AuditHead): string {
  return `${head.registerId} ${head.seq} ${head.hash}`;
}

/** Parses a trailer value; null when it is not one. */
export function parseAuditHead(value: string): Omit<AuditAnchor, "commit"> | null {
  const m = /^([0-9a-f]{32}) ([1-9][0-9]{0,14}) ([0-9a-f]{64})$/.exec(value.trim());
  if (!m) return null;
  return { registerId: m[1] as string, seq: Number(m[2]), hash: m[3] as string };
}

/**
 * Checks the register's rows against the anchors its signed commits carry. An intact chain proves only that no
 * row was edited in place; deleting the newest rows, or re-hashing every row from some point on, leaves a chain
 * that verifies. An anchor is a (seq, hash) pair that left the laptop in a signed commit, so each must still be
 * there: a missing row (truncated tail) or another hash (re-hashed suffix) is caught at the first row after the
 * last anchor that still matches.
 */
export function checkAnchors(db: Db, anchors: readonly AuditAnchor[]): AnchorCheck {
  const id = registerId(db);
  const mine = anchors.filter((a) => a.registerId === id).sort((a, b) => a.seq - b.seq);
  const base = { registerId: id, anchors: mine.length };
  if (id === null)
    return {
      ...base,
      anchoredSeq: 0,
      firstBadSeq: null,
      problem: "This register predates Audit-Head anchors; open it once with this version so its commits carry them.",
    };
  const hashAt = stmt(db, "SELECT hash FROM audit WHERE seq = ?").pluck();
  let anchoredSeq = 0;
  for (const anchor of mine) {
    const stored = hashAt.get(anchor.seq) as string | undefined;
    if (stored === anchor.hash) {
      anchoredSeq = Math.max(anchoredSeq, anchor.seq);
      continue;
    }
    const what =
      stored === undefined
        ? `event ${anchor.seq} is gone (the register ends before it)`
        : `event ${anchor.seq} has another hash than the one commit ${anchor.commit.slice(0, 12)} signed`;
    // Rows up to the newest anchor below this one are still proved; the first row after it is the first unproved.
    const proved = mine.filter((a) => a.seq < anchor.seq && hashAt.get(a.seq) === a.hash).map((a) => a.seq);
    const from = Math.max(0, ...proved);
    return {
      ...base,
      anchoredSeq: from,
      firstBadSeq: from + 1,
      problem: `The register disagrees with its signed anchors: ${what}. Events after ${from} were removed or rewritten.`,
    };
  }
  return { ...base, anchoredSeq, firstBadSeq: null, problem: null };
}
