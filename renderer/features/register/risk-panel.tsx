import { useState } from "react";
import type { ChangeDetail, RiskAnswer, RiskQuestion, RiskQuestionnaire } from "../../../shared/contract/index";
import { type RiskScore, scoreRisk } from "../../../shared/domain/register/risk";
import { useMethodQuery } from "../../api/queries";
import { RiskBadge } from "../../components/badge";
import { ErrorBox } from "../../components/error-box";
import { formatDateTime } from "./format";
import { useMethodMutation } from "./use-method-mutation";

type Answers = Readonly<Record<string, RiskAnswer>>;

// Facts the change already states are filled in, so the assessor confirms rather than retypes them.
function initialAnswers(change: ChangeDetail, q: RiskQuestionnaire): Answers {
  if (change.assessment && change.assessment.questionnaireVersion === q.version) return change.assessment.answers;
  const answers: Record<string, RiskAnswer> = {};
  for (const question of q.questions) {
    if (question.kind === "multi") answers[question.id] = [];
    if (question.kind === "count" && question.id === "plants") answers[question.id] = change.plants.length;
    if (question.kind === "boolean" && question.id === "db-migration") answers[question.id] = change.dbMigration;
  }
  return answers;
}

// The contract takes mutable lists; the form keeps its answers read-only.
function toInput(answers: Answers): Record<string, boolean | number | string[]> {
  const out: Record<string, boolean | number | string[]> = {};
  for (const [id, a] of Object.entries(answers)) out[id] = typeof a === "object" ? [...a] : a;
  return out;
}

function preview(q: RiskQuestionnaire, answers: Answers): RiskScore | null {
  try {
    return scoreRisk(q, answers);
  } catch {
    // Unanswered questions: no score to preview yet.
    return null;
  }
}

function QuestionInput({
  question,
  value,
  onChange,
}: {
  readonly question: RiskQuestion;
  readonly value: RiskAnswer | undefined;
  readonly onChange: (answer: RiskAnswer) => void;
}) {
  switch (question.kind) {
    case "boolean":
      return (
        <div className="choices">
          {[true, false].map((yes) => (
            <label key={String(yes)} className="check">
              <input
                type="radio"
                name={`risk-${question.id}`}
                checked={value === yes}
                data-testid={`risk-${question.id}-${yes ? "yes" : "no"}`}
                onChange={() => onChange(yes)}
              />
              {yes ? "Yes" : "No"}
            </label>
          ))}
        </div>
      );
    case "multi": {
      const list = Array.isArray(value) ? (value as readonly string[]) : [];
      return (
        <div className="choices">
          {question.options.map((o) => (
            <label key={o.value} className="check">
              <input
                type="checkbox"
                checked={list.includes(o.value)}
                data-testid={`risk-${question.id}-${o.value}`}
                onChange={(e) =>
                  onChange(
                    question.options
                      .map((x) => x.value)
                      .filter((v) => (v === o.value ? e.target.checked : list.includes(v))),
                  )
                }
              />
              {o.label}
            </label>
          ))}
        </div>
      );
    }
    case "count":
      return (
        <input
          className="input count"
          type="number"
          min={0}
          step={1}
          aria-label={question.text}
          value={typeof value === "number" ? value : ""}
          data-testid={`risk-${question.id}`}
          onChange={(e) => onChange(Math.max(0, Math.trunc(Number(e.target.value) || 0)))}
        />
      );
    default: {
      const never: never = question;
      return never;
    }
  }
}

/** The risk questionnaire with a live preview of score and class; recording it keeps the answers. */
export function RiskPanel({ change }: { readonly change: ChangeDetail }) {
  const questionnaire = useMethodQuery("risk.questionnaire", {});
  return (
    <section className="panel" aria-labelledby="risk-title" data-testid="risk-panel">
      <h2 id="risk-title">Risk assessment</h2>
      {change.assessment ? (
        <p className="risk-current" data-testid="risk-current">
          <RiskBadge risk={change.assessment.riskClass} score={change.assessment.score} testId="risk-class" />
          <span className="muted">
            {" "}
            by {change.assessment.assessedBy}, {formatDateTime(change.assessment.assessedAt)}
          </span>
        </p>
      ) : (
        <p className="muted" data-testid="risk-none">
          Not assessed yet.
        </p>
      )}
      {change.assessment && <ScoreReasons assessment={change.assessment} />}
      {questionnaire.error && <ErrorBox error={questionnaire.error} />}
      {questionnaire.data && (
        <RiskForm key={change.assessment?.assessedAt ?? "none"} change={change} questionnaire={questionnaire.data} />
      )}
    </section>
  );
}

function showAnswer(answer: RiskAnswer | undefined): string {
  if (answer === undefined) return "—";
  if (typeof answer === "boolean") return answer ? "yes" : "no";
  if (typeof answer === "number") return String(answer);
  return answer.length > 0 ? answer.join(", ") : "none";
}

/** How the recorded score was reached: each answer, whether a fact of the change or the assessor gave it, its points. */
function ScoreReasons({ assessment }: { readonly assessment: NonNullable<ChangeDetail["assessment"]> }) {
  return (
    <details className="risk-reasons" data-testid="risk-reasons">
      <summary>How the score was reached</summary>
      <ul>
        {assessment.breakdown.map((b) => (
          <li key={b.questionId} data-testid={`risk-reason-${b.questionId}`}>
            {b.questionId}: {showAnswer(b.answer)} (+{b.points}){" "}
            <span className="muted">{b.source === "fact" ? `fact: ${b.fact ?? ""}` : (b.source ?? "declared")}</span>
          </li>
        ))}
        {assessment.floors.map((f) => (
          <li key={f.because} data-testid="risk-floor">
            at least {f.riskClass}: {f.because}
            {f.raised ? " (raised the class)" : ""}
          </li>
        ))}
      </ul>
    </details>
  );
}

function RiskForm({
  change,
  questionnaire,
}: {
  readonly change: ChangeDetail;
  readonly questionnaire: RiskQuestionnaire;
}) {
  const [answers, setAnswers] = useState<Answers>(() => initialAnswers(change, questionnaire));
  const assess = useMethodMutation("risk.assess");
  const score = preview(questionnaire, answers);
  const unanswered = questionnaire.questions.filter((q) => !Object.hasOwn(answers, q.id)).length;
  const points = new Map(score?.breakdown.map((b) => [b.questionId, b.points]));
  return (
    <form
      className="risk-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (score) assess.mutate({ changeId: change.id, answers: toInput(answers) });
      }}
    >
      <ol className="questions">
        {questionnaire.questions.map((q) => (
          <li key={q.id} data-testid={`risk-question-${q.id}`}>
            <span className="question-text">{q.text}</span>
            <QuestionInput
              question={q}
              value={answers[q.id]}
              onChange={(a) => setAnswers((x) => ({ ...x, [q.id]: a }))}
            />
            <span className="points muted">{points.has(q.id) ? `+${points.get(q.id)}` : ""}</span>
          </li>
        ))}
      </ol>
      <div className="action-row">
        <span data-testid="risk-preview" aria-live="polite">
          {score ? (
            <>
              Preview: <RiskBadge risk={score.riskClass} score={score.score} />
            </>
          ) : (
            <span className="muted">
              {unanswered} question{unanswered === 1 ? "" : "s"} left · thresholds medium ≥{" "}
              {questionnaire.thresholds.medium}, high ≥ {questionnaire.thresholds.high}
            </span>
          )}
        </span>
        <span className="spacer" />
        <button type="submit" className="btn primary" disabled={!score || assess.isPending} data-testid="risk-assess">
          {assess.isPending ? "Recording…" : change.assessment ? "Re-assess" : "Record assessment"}
        </button>
      </div>
      {assess.error && <ErrorBox error={assess.error} />}
    </form>
  );
}
