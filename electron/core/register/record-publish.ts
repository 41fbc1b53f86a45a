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
  readonly number: string;
  readonly signer: OutboxIntent["signer"];
  readonly outbox: Outbox;
}

/**
 * The signer and outbox for a signed file under changes/<ID>/ (gates, assessments), or null when the record stays on
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
  return { number, outbox, signer: { name: nameOf(actor) ?? actor, email: actor, key: signingKey(key, "") } };
}

/**
 * Runs the caller's register transaction, which hands over the record it wrote; the record's intent is stored in that
 * transaction, then committed (signed) by the outbox. A transaction that hands over nothing is a bug, not a refusal.
 */
export async function publishRecord<R, T>(
  outbox: Outbox,
  what: string,
  transaction: (written: (record: R) => void) => T,
  intentOf: (record: R) => OutboxIntent,
): Promise<T> {
  let intent: OutboxIntent | null = null;
  const done = await outbox.recordThenCommit(
    () => {
      if (!intent) throw new Error(`the ${what} transaction wrote no ${what}`);
      return intent;
    },
    (write) =>
      transaction((record) => {
        intent = intentOf(record);
        write();
      }),
  );
  return done.value;
}
