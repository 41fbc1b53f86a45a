import { existsSync } from "node:fs";
import { join } from "node:path";
import { dataPaths } from "../paths";
import { appendAudit } from "../register/audit";
import { changeIdByNumber, followRenumber } from "../register/change-aliases";
import type { CoreServices } from "../services";
import { readConnection } from "./connect";
import { isolatedGitContext } from "./git";
import { createOutbox, type Outbox, type OutboxTimer, systemTimer } from "./outbox";
import type { Signer } from "./signing";
import { supersededReason } from "./superseded";

// One outbox per core, keyed by the core's own services and handed to every writer of that core (GitOps and
// approvals handlers): two cores over one working copy folder never share one, nor take each other's. It is made
// when the handlers are built: no git runs then.
const byServices = new WeakMap<CoreServices, Outbox>();

/** Keys this laptop holds for a person: the demo keys (data folder) by e-mail; null when none is here. */
function localSignerResolver(dataDir: string): (email: string, passphrase?: string) => Signer | null {
  const dirs = [dataPaths(dataDir).keys, join(dataPaths(dataDir).keys, "demo")];
  return (email, passphrase) => {
    const file = dirs.map((d) => join(d, `${email}.key`)).find((f) => existsSync(f));
    return file ? { name: email, email, key: { format: "ssh", keyFile: file, passphrase } } : null;
  };
}

/** The core's outbox, made on first use; null when the install has no working copy folder. */
export function outboxOf(services: CoreServices, timer: OutboxTimer = systemTimer): Outbox | null {
  const dir = services.gitopsDir;
  if (!dir) return null;
  const known = byServices.get(services);
  if (known) return known;
  const resolve = localSignerResolver(services.dataDir);
  const outbox = createOutbox({
    db: services.register.db,
    // A connected repository may deploy from another branch than the demo's main.
    repo: {
      dir,
      branch: readConnection(services.dataDir)?.branch ?? "main",
      remote: "origin",
      ctx: isolatedGitContext(),
    },
    clock: services.clock,
    newId: () => services.ids.next(services.clock.now()),
    timer,
    // The committer's name comes from the commit being replayed, so only the key matters here.
    resolveSigner: resolve,
    // Renumbering follows from the remote's history during a push: the register follows, the old number an alias.
    onRenumber: (from, to) => {
      followRenumber(services.register.db, from, to, services.clock.now());
    },
    // The person is told on the outbox page (the row's reason) and in the change's audit trail.
    onSuperseded: (record, number) => {
      const db = services.register.db;
      const changeId = number ? changeIdByNumber(db, number) : null;
      db.transaction(() =>
        appendAudit(
          db,
          [
            {
              ...(record.kind === "revision"
                ? {
                    action: "change.revision.superseded",
                    after: { requester: record.email, standing: record.standing.sha, at: record.standing.at },
                  }
                : {
                    action: "exception.review.superseded",
                    after: { reviewer: record.email, standing: record.standing.sha, outcome: record.standing.outcome },
                  }),
              entity: "change",
              entityId: changeId,
              reason: supersededReason(record),
            },
          ],
          { door: "direct", at: services.clock.now() },
          "system:gitops",
        ),
      ).immediate();
    },
  });
  byServices.set(services, outbox);
  return outbox;
}
