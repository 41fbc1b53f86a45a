import { AppError } from "../../shared/contract/index";

/** The core's message for one input path (details.issues of an invalid-input error), to show beside that field. */
export function fieldIssue(error: unknown, path: string): string | undefined {
  if (!(error instanceof AppError) || error.code !== "invalid-input") return undefined;
  const issues = error.details?.issues;
  if (!Array.isArray(issues)) return undefined;
  for (const issue of issues) {
    const { path: at, message } = (issue ?? {}) as { path?: unknown; message?: unknown };
    if (at === path && typeof message === "string") return message.charAt(0).toUpperCase() + message.slice(1);
  }
  return undefined;
}
