import type { Db } from "./db";

/** A key this core saw sign a fresh challenge that verified against the policy's entry for an e-mail. */
export interface KeyProof {
  /** The stored form of the key reference (settings `identity.keyFile`). */
  readonly key: string;
  /** The fingerprint the proof was verified with: a later `.pub` with another one no longer counts. */
  readonly fingerprint: string;
  readonly email: string;
}

// Proofs live in this process's memory, per register connection, never in the register: a selection remembered
// in the settings table (across a restart, or written by another process over the same file) is only a
// selection until this core has seen its key sign again. Keyed by the connection, so two cores never share.
const byDb = new WeakMap<Db, Map<string, KeyProof>>();

function proofs(db: Db): Map<string, KeyProof> {
  let map = byDb.get(db);
  if (!map) {
    map = new Map();
    byDb.set(db, map);
  }
  return map;
}

/** Remembers that a key proved itself in this run of the core. */
export function rememberProof(db: Db, proof: KeyProof): void {
  proofs(db).set(proof.key, proof);
}

/** This run's proof for a stored key reference, or null when the key has not signed here yet. */
export function proofOf(db: Db, key: string): KeyProof | null {
  return proofs(db).get(key) ?? null;
}
