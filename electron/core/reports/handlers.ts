import { AppError, type AuditEvent } from "../../../shared/contract/index";
import type { ReportsMethodName } from "../../../shared/contract/methods/reports";
import type { Door, Handlers } from "../dispatch";
import type { CoreCall, SelfCall } from "../meeting/core-call";
import type { CoreServices } from "../services";
import { auditExport } from "./audit-export";
import { changePdf } from "./change-pdf";
import { monthlyFigures } from "./figures";
import { reportFonts } from "./fonts";
import type { PlantZones } from "./format";
import { historiesFromAudit } from "./history";
import { minutesContext } from "./minutes-context";
import { minutesPdf } from "./minutes-pdf";

/** Every audit row matching the filter, oldest first, read page by page through the register's contract. */
async function allAudit(
  call: CoreCall,
  door: Door,
  filter: { readonly changeId?: string } = {},
): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for (let page = 1; ; page++) {
    const result = await call("audit.list", { ...filter, page, pageSize: 500 }, door);
    out.push(...result.items);
    if (result.items.length === 0 || out.length >= result.total) return out;
  }
}

function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw new AppError("invalid-input", `"${timeZone}" is not an IANA time zone such as Europe/Berlin.`, {
      issues: [{ path: "timeZone", message: "unknown time zone" }],
    });
  }
}

/** Each plant's zone by id, so a printed window reads on the plant's clocks. */
async function plantZones(call: CoreCall, door: Door): Promise<PlantZones> {
  const plants = await call("plant.list", {}, door);
  return new Map(plants.map((p) => [p.id, p.timeZone]));
}

/** Handlers for the `report.*` methods: every door gets the same bytes from the core. */
export function reportsHandlers(services: CoreServices, self: SelfCall): Pick<Handlers, ReportsMethodName> {
  const { call, attempt } = self;
  // One set per core: each font is parsed by the first PDF that needs it and reused by the next ones.
  const fonts = reportFonts();
  return {
    "report.minutesPdf": {
      async: async ({ meetingId }, ctx) => {
        const meeting = await call("meeting.get", { id: meetingId }, ctx.door);
        return minutesPdf(meeting, ctx.clock.now(), fonts, await minutesContext(attempt, ctx.door, meeting));
      },
    },
    "report.changePdf": {
      async: async ({ changeId }, ctx) => {
        const change = await call("change.get", { id: changeId }, ctx.door);
        const preview = await attempt("approval.preview", { changeId }, ctx.door);
        const approvals = preview.ok ? preview.value : null;
        const audit = await allAudit(call, ctx.door, { changeId });
        return changePdf(
          {
            change,
            approvals: approvals?.approvals ?? null,
            quorum: approvals?.quorum.summary ?? null,
            audit,
            timeZone: services.timeZone,
            plantZones: await plantZones(call, ctx.door),
          },
          ctx.clock.now(),
          fonts,
        );
      },
    },
    "report.auditExport": {
      async: async ({ format, changeId, from, to }, ctx) => {
        const verification = await call("audit.verify", {}, ctx.door);
        const lo = from ? Date.parse(from) : Number.NEGATIVE_INFINITY;
        const hi = to ? Date.parse(to) : Number.POSITIVE_INFINITY;
        const events = (await allAudit(call, ctx.door, changeId ? { changeId } : {})).filter((e) => {
          const at = Date.parse(e.at);
          return at >= lo && at < hi;
        });
        return auditExport(events, format, { filter: { changeId, from, to }, verification, at: ctx.clock.now() });
      },
    },
    "report.figures": {
      async: async ({ months, timeZone }, ctx) => {
        if (timeZone !== undefined) assertTimeZone(timeZone);
        const histories = historiesFromAudit(await allAudit(call, ctx.door));
        return monthlyFigures(histories, { now: ctx.clock.now(), months, timeZone: timeZone ?? services.timeZone });
      },
    },
  };
}
