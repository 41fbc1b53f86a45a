import type { z } from "zod";
import type { MethodSpec } from "./define";
import type { AppErrorData } from "./errors";
import type { EventEnvelope } from "./events";
import { methods } from "./methods/index";

export type { MethodSpec } from "./define";
export * from "./errors";
export * from "./events";
export type { AppStatus, GitopsRepoState } from "./methods/app";
export { methods } from "./methods/index";

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]["input"]>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]["input"]>;
export type MethodOutput<M extends MethodName> = Methods[M] extends MethodSpec<z.ZodType, infer O> ? O : never;

/** What every door returns for a call: a value or an error, never a thrown exception. */
export type CallResult<T = unknown> =
  | {
      readonly ok: true;
      readonly value: T;
      /** What a writing call changed (the events the core also broadcasts), for the caller to refresh by. */
      readonly events?: readonly EventEnvelope[];
    }
  | { readonly ok: false; readonly error: AppErrorData };

/** True when a string names a method of the contract. */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === "string" && Object.hasOwn(methods, name);
}
export * from "../domain/register/vocabulary";
export type {
  AuditEvent,
  AuditVerifyResult,
  ChangeArtifact,
  ChangeDetail,
  ChangeSortField,
  ChangeSummary,
  ChangeWindow,
  Comment,
  Evidence,
  EvidenceContent,
  Gate,
  ListPage,
  Person,
  ProductionReadiness,
  ReadinessBlocker,
  RegisterExport,
  RegisterMethodName,
  RiskAnswer,
  RiskAssessment,
  RiskBreakdownItem,
  RiskFloorApplied,
  RiskQuestion,
  RiskQuestionnaire,
  StandardTemplateView,
} from "./methods/register";
export { CHANGE_SORT_FIELDS } from "./methods/register";
