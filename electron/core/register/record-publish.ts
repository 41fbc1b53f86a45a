import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Outbox } from "../gitops/outbox";
import { outboxOf } from "../gitops/outbox-registry";
import type { OutboxIntent } from "../gitops/outbox-store";
import { selectedKey } from "../identity/identity";
import { signingKey } from "../identity/key-ref";
import type { CoreServices } from "../services";
import type { ChangeRow } from "./change-rows";

/** Who signs a record of a change already in the repository, and the outbox that commits it. */
interface RecordSigning {
  /** The working copy of the GitOps repository. */
  readonly dir: string;
  readonly number: string;
  readonly signer: OutboxIntent["signer"];
  readonly outbox: Outbox;
}

/**
 * The signer and outbox for a signed file under changes/<ID>/ (gates, assessments, evidence, requests), or null when the record stays on
 * this laptop: the change is not in the repository, no key is selected, or the actor is not the proved key holder.
 */
export function recordSigning(
  services: CoreServices,
  proved: () => string,
  nameOf: (email: string) => string | null,
  row: ChangeRow,
  actor: string,
): RecordSigning | null {
  const dir = services.gitopsDir;
  const number = row.number;
  if (!dir || !number || !existsSync(join(dir, "changes", number, "change.yaml"))) return null;
  const key = selectedKey(services.register.db);
  if (!key || proved().toLowerCase() !== actor.toLowerCase()) return null;
  const outbox = outboxOf(services);
  if (!outbox) return null;
  return { dir, number, outbox, signer: { name: nameOf(actor) ?? actor, email: actor, key: signingKey(key, "") } };
}

// A transaction that may hand over nothing (the same evidence attached again) has nothing to sign: its value stands.
class NothingWritten<T> extends Error {
  constructor(readonly value: T) {
    super("the transaction wrote no record");
  }
}

/**
 * Runs the caller's register transaction, which hands over the record it wrote; the record's intent is stored in that
 * transaction, then committed (signed) by the outbox. A transaction that hands over nothing is a bug, not a refusal,
 * unless `mayWriteNothing`: then its value is returned and nothing is committed.
 */
export async function publishRecord<R, T>(
  outbox: Outbox,
  what: string,
  transaction: (written: (record: R) => void) => T,
  intentOf: (record: R) => OutboxIntent,
  mayWriteNothing = false,
): Promise<T> {
  let intent: OutboxIntent | null = null;
  try {
    const done = await outbox.recordThenCommit(
      () => {
        if (!intent) throw new Error(`the ${what} transaction wrote no ${what}`);
        return intent;
      },
      (write) => {
        let wrote = false;
        const value = transaction((record) => {
          intent = intentOf(record);
          write();
          wrote = true;
        });
        if (!wrote && mayWriteNothing) throw new NothingWritten(value);
        return value;
      },
    );
    return done.value;
  } catch (error) {
    if (error instanceof NothingWritten) return error.value as T;
    throw error;
  }
}
