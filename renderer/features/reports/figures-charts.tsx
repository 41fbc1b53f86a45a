import type { ReactNode } from "react";
import type { LeadTime, MonthFigures, Ratio } from "../../../shared/contract/methods/reports";

// Plain SVG charts: a stacked bar per month for volume, and small bar rows for rates and lead times.

const TYPE_COLOURS = { standard: "var(--low)", normal: "var(--med)", emergency: "var(--emerg)" } as const;

function monthLabel(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 15)).toLocaleString("en-GB", { month: "short", timeZone: "UTC" });
}

/** Changes submitted per month, stacked by type. */
export function VolumeChart({ months }: { readonly months: readonly MonthFigures[] }) {
  const max = Math.max(1, ...months.map((m) => m.submitted));
  const width = 60 * months.length + 20;
  const height = 180;
  const plot = 130;
  return (
    <figure className="chart">
      <figcaption>Changes submitted, by type</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label="Changes submitted per month by type">
        {months.map((m, i) => {
          let y = plot + 20;
          const x = 20 + i * 60;
          return (
            <g key={m.month}>
              {(["standard", "normal", "emergency"] as const).map((t) => {
                const h = (m.byType[t] / max) * plot;
                y -= h;
                return h > 0 ? (
                  <rect key={t} x={x} y={y} width={36} height={h} fill={TYPE_COLOURS[t]}>
                    <title>{`${m.byType[t]} ${t}`}</title>
                  </rect>
                ) : null;
              })}
              <text x={x + 18} y={y - 4} textAnchor="middle" className="chart-value">
                {m.submitted}
              </text>
              <text x={x + 18} y={height - 8} textAnchor="middle" className="chart-axis">
                {monthLabel(m.month)}
              </text>
            </g>
          );
        })}
      </svg>
      <div className="chart-legend">
        {(["standard", "normal", "emergency"] as const).map((t) => (
          <span key={t}>
            <i style={{ background: TYPE_COLOURS[t] }} />
            {t}
          </span>
        ))}
      </div>
    </figure>
  );
}

function pct(r: Ratio): string {
  return r.value === null ? "–" : `${Math.round(r.value * 100)} %`;
}

/** A small chart: a column per month, its bars drawn by `column`, its value and the month written beneath. */
function MonthColumns({
  title,
  months,
  column,
}: {
  readonly title: string;
  readonly months: readonly MonthFigures[];
  readonly column: (m: MonthFigures, x: number) => { readonly bars: ReactNode; readonly value: ReactNode };
}) {
  return (
    <figure className="chart chart-small">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${60 * months.length + 20} 110`} width="100%" role="img" aria-label={title}>
        {months.map((m, i) => {
          const x = 20 + i * 60;
          const { bars, value } = column(m, x);
          return (
            <g key={m.month}>
              {bars}
              <text x={x + 18} y={95} textAnchor="middle" className="chart-value">
                {value}
              </text>
              <text x={x + 18} y={108} textAnchor="middle" className="chart-axis">
                {monthLabel(m.month)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** One rate per month as bars from 0 to 100 %, with "n of m" on hover. */
export function RateChart({
  title,
  months,
  pick,
  colour,
}: {
  readonly title: string;
  readonly months: readonly MonthFigures[];
  readonly pick: (m: MonthFigures) => Ratio;
  readonly colour: string;
}) {
  return (
    <MonthColumns
      title={title}
      months={months}
      column={(m, x) => {
        const r = pick(m);
        const h = (r.value ?? 0) * 70;
        return {
          bars: (
            <>
              <rect x={x} y={10} width={36} height={70} fill="var(--line)" opacity={0.4} />
              <rect x={x} y={80 - h} width={36} height={h} fill={colour}>
                <title>{`${r.numerator} of ${r.denominator}`}</title>
              </rect>
            </>
          ),
          value: pct(r),
        };
      }}
    />
  );
}

/** Median lead time per month in hours, with the 90th percentile as a thin mark. */
export function LeadTimeChart({
  title,
  months,
  pick,
}: {
  readonly title: string;
  readonly months: readonly MonthFigures[];
  readonly pick: (m: MonthFigures) => LeadTime;
}) {
  const max = Math.max(1, ...months.map((m) => pick(m).p90Hours ?? 0));
  return (
    <MonthColumns
      title={title}
      months={months}
      column={(m, x) => {
        const l = pick(m);
        const h = ((l.medianHours ?? 0) / max) * 70;
        const p90 = 80 - ((l.p90Hours ?? 0) / max) * 70;
        return {
          bars: (
            <>
              <rect x={x} y={80 - h} width={36} height={h} fill="var(--accent)">
                <title>{`median ${l.medianHours ?? "–"} h, p90 ${l.p90Hours ?? "–"} h, ${l.count} changes`}</title>
              </rect>
              {l.p90Hours !== null ? (
                <line x1={x} x2={x + 36} y1={p90} y2={p90} stroke="var(--focus)" strokeWidth={2} />
              ) : null}
            </>
          ),
          value: l.medianHours === null ? "–" : `${l.medianHours} h`,
        };
      }}
    />
  );
}
