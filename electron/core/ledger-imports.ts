import { deriveFromLedger } from "./approvals/ledger-state";
import { importRepoEmergencies } from "./exceptions/repo-exceptions";
import type { LedgerImport } from "./gitops/handlers";
import { importRepoMeetings } from "./meeting/travel";
import { importRepoAssessments } from "./register/repo-assessments";
import { importRepoGates } from "./register/repo-gates";
import type { CoreServices } from "./services";

/**
 * What a sync takes from the ledger, in order, each by the capability that owns it: exceptions and reviews, gate
 * records, assessments, meetings, then the quorum the decisions now meet or defeat (by the one rule decide follows).
 */
export function ledgerImports(services: CoreServices): readonly LedgerImport[] {
  const db = services.register.db;
  return [
    async (trust, outbox, ctx) => {
      const emergencies = await importRepoEmergencies(db, trust, ctx, outbox.repo.ctx);
      if (emergencies.exceptions.length + emergencies.reviews.length > 0)
        ctx.emit("register.changed", { entity: "exception" });
    },
    // Gate records and waivers signed elsewhere, with the evidence the repository holds.
    async (trust, outbox, ctx) => {
      if ((await importRepoGates(db, trust, ctx, outbox.repo.ctx)).length > 0)
        ctx.emit("register.changed", { entity: "gate" });
    },
    // Risk answers and scores assessed elsewhere: the decision view shows the same assessment on every laptop.
    async (trust, outbox, ctx) => {
      if ((await importRepoAssessments(db, trust, ctx, outbox.repo.ctx)).length > 0)
        ctx.emit("register.changed", { entity: "change" });
    },
    // CAB meetings other laptops' chairs closed: every laptop lists the same meetings and decisions.
    async (trust, outbox, ctx) => {
      if ((await importRepoMeetings(db, trust, ctx, outbox.repo.ctx)).length > 0)
        ctx.emit("register.changed", { entity: "meeting" });
    },
    async (trust, outbox, ctx) => {
      await deriveFromLedger(db, trust, outbox, ctx);
    },
  ];
}
