import { z } from "zod";
import { boundedText } from "../bounds";
import { method } from "../define";

// ---------- output types ----------

/** A file the core produced, identical whichever door asked for it. */
export interface ReportFile {
  readonly filename: string;
  readonly mediaType: string;
  readonly contentBase64: string;
  /** SHA-256 of the content, hex: lets an auditor tie a printed copy to the file. */
  readonly sha256: string;
  readonly size: number;
}

/** A distribution of lead times in hours; null fields when there were no samples. */
export interface LeadTime {
  readonly count: number;
  readonly medianHours: number | null;
  readonly meanHours: number | null;
  readonly p90Hours: number | null;
}

/** A ratio with its parts, so the UI can say "3 of 4" as well as 75 %. */
export interface Ratio {
  readonly numerator: number;
  readonly denominator: number;
  /** numerator / denominator, null when the denominator is 0 (no data is not 0 %). */
  readonly value: number | null;
}

/** The figures of one calendar month (in the report's time zone); definitions in electron/core/reports/figures.ts. */
export interface MonthFigures {
  /** YYYY-MM. */
  readonly month: string;
  readonly submitted: number;
  readonly byType: Readonly<Record<"standard" | "normal" | "emergency", number>>;
  readonly byPlant: Readonly<Record<string, number>>;
  readonly successRate: Ratio;
  readonly emergencyRatio: Ratio;
  readonly changeFailureRate: Ratio;
  readonly leadTimeToApproval: LeadTime;
  readonly leadTimeToProduction: LeadTime;
}

export interface MonthlyFigures {
  readonly timeZone: string;
  readonly generatedAt: string;
  readonly months: readonly MonthFigures[];
  /** The same figures over the whole period. */
  readonly total: Omit<MonthFigures, "month">;
}

// ---------- input schemas ----------

const ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "expected a ULID");
const rfc3339 = z.iso.datetime({ offset: true });

export const reportsMethods = {
  /** The minutes of a meeting as PDF, with the manifestation of every signature. */
  "report.minutesPdf": method<ReportFile>()({
    input: z.object({ meetingId: ulid }).strict(),
    mutates: false,
  }),
  /** A change's full record as PDF: fields, risk, gates, evidence, approvals with signatures, audit trail. */
  "report.changePdf": method<ReportFile>()({
    input: z.object({ changeId: ulid }).strict(),
    mutates: false,
  }),
  /** The audit chain for auditors, as CSV or JSON, optionally of one change or a period, with its verification. */
  "report.auditExport": method<ReportFile>()({
    input: z
      .object({
        format: z.enum(["csv", "json"]),
        changeId: ulid.optional(),
        from: rfc3339.optional(),
        to: rfc3339.optional(),
      })
      .strict(),
    mutates: false,
  }),
  /** Monthly figures over the last `months` calendar months, up to and including the current one. */
  "report.figures": method<MonthlyFigures>()({
    input: z
      .object({
        months: z.number().int().min(1).max(36).default(6),
        /** IANA zone the months are cut in; the install's zone by default. */
        timeZone: boundedText(64).optional(),
      })
      .strict(),
    mutates: false,
  }),
} as const;

export type ReportsMethodName = keyof typeof reportsMethods;
