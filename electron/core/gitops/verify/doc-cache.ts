import {
  type ApprovalDoc,
  type ChangeDoc,
  type GateRecordDoc,
  parseApproval,
  parseChange,
  parseGateRecord,
} from "../../../../shared/domain/policy/index";
import { digestOf } from "../commit";

/**
 * Parsed change, approval and gate files by blob id: each blob is parsed once however many commits look at it
 * (a change's gate files are read again at every later commit of that change and at each release).
 */
export interface DocCache {
  change(blob: string): { readonly change: ChangeDoc; readonly digest: string } | null;
  approval(blob: string): ApprovalDoc | null;
  /** A gate record or waiver; null when it does not parse (it then counts for nothing). */
  gate(blob: string): GateRecordDoc | null;
  read(blob: string): Buffer | null;
}

/** Builds the cache over a blob reader. */
export function createDocCache(read: (sha: string) => Buffer | null): DocCache {
  const changes = new Map<string, { readonly change: ChangeDoc; readonly digest: string } | null>();
  const approvals = new Map<string, ApprovalDoc | null>();
  const gates = new Map<string, GateRecordDoc | null>();
  const once = <T>(map: Map<string, T | null>, sha: string, parse: (bytes: Buffer) => T): T | null => {
    const hit = map.get(sha);
    if (hit !== undefined) return hit;
    const bytes = read(sha);
    let value: T | null = null;
    try {
      value = bytes ? parse(bytes) : null;
    } catch {
      value = null;
    }
    map.set(sha, value);
    return value;
  };
  return {
    change: (sha) => once(changes, sha, (b) => ({ change: parseChange(b.toString("utf8")), digest: digestOf(b) })),
    approval: (sha) => once(approvals, sha, (b) => parseApproval(b.toString("utf8"))),
    gate: (sha) => once(gates, sha, (b) => parseGateRecord(b.toString("utf8"))),
    read,
  };
}
