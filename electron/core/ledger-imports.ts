import { deriveFromLedger } from "./approvals/ledger-state";
import { importRepoEmergencies } from "./exceptions/repo-exceptions";
import type { LedgerImport } from "./gitops/handlers";
import { importRepoMeetings } from "./meeting/travel";
import { importRepoAssessments } from "./register/repo-assessments";
import { importRepoAttachments } from "./register/repo-attachments";
import { importRepoGates } from "./register/repo-gates";
import { importRepoRequests } from "./register/repo-requests";
import type { CoreServices } from "./services";

/**
 * What a sync takes from the ledger, in order, each by the capability that owns it: exceptions and reviews, gate
 * records, change-level evidence, assessments, requests for approval, meetings, then the quorum the decisions now meet or defeat (by the one rule decide follows).
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
    // Evidence of a change as a whole, attached elsewhere: the same file, by the same hash, on every laptop.
    async (trust, outbox, ctx) => {
      if ((await importRepoAttachments(db, trust, ctx, outbox.repo.ctx)).length > 0)
        ctx.emit("register.changed", { entity: "change" });
    },
    // Risk answers and scores assessed elsewhere: the decision view shows the same assessment on every laptop.
    async (trust, outbox, ctx) => {
      if ((await importRepoAssessments(db, trust, ctx, outbox.repo.ctx)).length > 0)
        ctx.emit("register.changed", { entity: "change" });
    },
    // Requests for approval signed elsewhere: an assessed change waits for approval here once someone asked.
    async (trust, outbox, ctx) => {
      await importRepoRequests(db, trust, ctx, outbox.repo.ctx);
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
