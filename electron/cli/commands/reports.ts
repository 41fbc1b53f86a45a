import { AppError, type MethodInput, type MethodName, type MethodOutput } from "../../../shared/contract/index";
import type { MonthlyFigures, ReportFile } from "../../../shared/contract/methods/reports";
import type { Core } from "../../core/core";
import { parseFlags, required, UsageError } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import { openCliCore } from "../open-core";
import { type OutTarget, outTarget, writeOutFile } from "../out-file";
import type { Command } from "./index";

const WHERE = { "data-dir": { type: "string" }, db: { type: "string" } } as const;
const OUT = { out: { type: "string" }, force: { type: "boolean" } } as const;

async function call<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.call(method, input, "cli");
  if (!result.ok) throw AppError.fromData(result.error);
  return result.value as MethodOutput<M>;
}

// PDFs go to a file (binary on a terminal helps nobody); text reports go to --out or standard output.
function deliver(io: CliIo, file: ReportFile, out: OutTarget | undefined, binary: boolean): void {
  const content = Buffer.from(file.contentBase64, "base64");
  if (out === undefined) {
    if (binary) throw new UsageError(`a PDF needs --out FILE (for example --out ${file.filename})`);
    io.stdout(content.toString("utf8"));
    return;
  }
  writeOutFile(out, content);
  io.stderr(`Wrote ${out.path} (${file.size} bytes, sha256 ${file.sha256}).\n`);
}

async function withCore(io: CliIo, flags: { "data-dir"?: string; db?: string }, run: (core: Core) => Promise<void>) {
  const core = await openCliCore(io, flags["data-dir"], flags.db);
  try {
    await run(core);
  } finally {
    await core.close();
  }
}

/** `report minutes --meeting ID --out FILE`: the minutes of a CAB meeting as PDF. */
async function minutesCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, { ...WHERE, ...OUT, meeting: { type: "string" } });
  const meetingId = required(flags.meeting, "meeting");
  const out = outTarget(io.cwd, flags.out, flags.force);
  await withCore(io, flags, async (core) =>
    deliver(io, await call(core, "report.minutesPdf", { meetingId }), out, true),
  );
  return 0;
}

/** `report change --change ID --out FILE`: a change's full record as PDF. */
async function changeCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, { ...WHERE, ...OUT, change: { type: "string" } });
  const changeId = required(flags.change, "change");
  const out = outTarget(io.cwd, flags.out, flags.force);
  await withCore(io, flags, async (core) => deliver(io, await call(core, "report.changePdf", { changeId }), out, true));
  return 0;
}

/** `report audit --format csv|json [--change ID] [--from T] [--to T] [--out FILE]`: the audit export for auditors. */
async function auditCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    ...WHERE,
    format: { type: "string" },
    change: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    ...OUT,
  });
  const format = required(flags.format, "format");
  if (format !== "csv" && format !== "json") throw new UsageError(`--format must be csv or json, not ${format}`);
  const out = outTarget(io.cwd, flags.out, flags.force);
  await withCore(io, flags, async (core) => {
    const file = await call(core, "report.auditExport", {
      format,
      changeId: flags.change,
      from: flags.from,
      to: flags.to,
    });
    deliver(io, file, out, false);
  });
  return 0;
}

function pct(v: number | null): string {
  return v === null ? "-" : `${Math.round(v * 1000) / 10}%`;
}

function printFigures(io: CliIo, f: MonthlyFigures): void {
  const rows = [
    ["month", "submitted", "std/norm/emerg", "success", "emergency", "failure", "to approval h", "to production h"],
    ...[...f.months, { month: "total", ...f.total }].map((m) => [
      m.month,
      String(m.submitted),
      `${m.byType.standard}/${m.byType.normal}/${m.byType.emergency}`,
      pct(m.successRate.value),
      pct(m.emergencyRatio.value),
      pct(m.changeFailureRate.value),
      String(m.leadTimeToApproval.medianHours ?? "-"),
      String(m.leadTimeToProduction.medianHours ?? "-"),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const r of rows) io.stdout(`${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ")}\n`);
  io.stdout(`Months in ${f.timeZone}; lead times are medians from submission.\n`);
}

/** `report figures [--months N] [--time-zone TZ] [--json]`: the monthly figures. */
async function figuresCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    ...WHERE,
    months: { type: "string" },
    "time-zone": { type: "string" },
    json: { type: "boolean" },
  });
  const months = flags.months === undefined ? 6 : Number(flags.months);
  if (!Number.isInteger(months) || months < 1 || months > 36) throw new UsageError("--months must be 1..36");
  await withCore(io, flags, async (core) => {
    const figures = await call(core, "report.figures", { months, timeZone: flags["time-zone"] });
    if (flags.json) printJson(io, figures);
    else printFigures(io, figures);
  });
  return 0;
}

/** The `shiftgate report ...` sub-commands: the same files and figures as the app. */
export const reportsCommands: readonly Command[] = [
  {
    words: ["report", "minutes"],
    usage: "report minutes --meeting ID --out FILE [--force] [--data-dir DIR] [--db FILE]",
    summary: "The minutes of a CAB meeting as PDF, with every signature's manifestation",
    run: minutesCommand,
  },
  {
    words: ["report", "change"],
    usage: "report change --change ID --out FILE [--force] [--data-dir DIR] [--db FILE]",
    summary: "A change's full record as PDF: fields, risk, gates, evidence, signed approvals, audit trail",
    run: changeCommand,
  },
  {
    words: ["report", "audit"],
    usage:
      "report audit --format csv|json [--change ID] [--from T] [--to T] [--out FILE [--force]] [--data-dir DIR] [--db FILE]",
    summary: "The audit chain for auditors, with hashes and the verification result",
    run: auditCommand,
  },
  {
    words: ["report", "figures"],
    usage: "report figures [--months N] [--time-zone TZ] [--json] [--data-dir DIR] [--db FILE]",
    summary: "Monthly figures: volume by type and plant, success, emergency and failure rates, lead times",
    run: figuresCommand,
  },
];
