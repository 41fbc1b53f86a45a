import {
  type ChangeDoc,
  findPerson,
  isProtectedEnvironment,
  mayAct,
  sameEmail,
} from "../../../../shared/domain/policy/index";
import { isRequestFile, parseRequest } from "../../../../shared/domain/policy/request-file";
import type { DocCache } from "./doc-cache";
import { type Finding, finding } from "./findings";
import type { HistoryCommit } from "./history";
import type { PolicyState } from "./policy-state";

/**
 * Findings about a request for approval (`requests/<file>.yaml`) a commit wrote: committed by someone other than the
 * person it names (`signer-mismatch`), or naming someone the policy does not let ask for approval of this change
 * (`role-not-held`, actions `change.request-approval`). Such a request asks for nothing: sync does not count it.
 */
export function requestFileFindings(
  c: HistoryCommit,
  id: string,
  rest: string,
  blob: string,
  change: ChangeDoc | null,
  s: PolicyState,
  docs: DocCache,
): Finding[] {
  if (!isRequestFile(rest)) return [];
  try {
    const doc = parseRequest(docs.read(blob)?.toString("utf8") ?? "");
    const email = doc.requestedBy.email;
    if (!sameEmail(email, c.committerEmail))
      return [
        finding(
          c.sha,
          id,
          "signer-mismatch",
          `The request for approval ${rest} of ${id} names ${email} as its signer, but ${c.committerEmail} committed it.`,
        ),
      ];
    // Judged against a complete change.yaml; one still without implementer or window is left to sync's own check.
    if (!change) return [];
    const person = findPerson(s.policy, email);
    const parties = {
      requester: change.requester.email.toLowerCase(),
      onBehalfOf: change.onBehalfOf?.email.toLowerCase() ?? null,
      implementer: change.implementer.email.toLowerCase(),
      protectedEnvironment: isProtectedEnvironment(s.policy, change.environment),
    };
    const holder = { email: email.toLowerCase(), roles: person?.roles ?? [] };
    if (!person || !mayAct(s.policy.actions, "change.request-approval", holder, parties))
      return [
        finding(
          c.sha,
          id,
          "role-not-held",
          `${email} asked for approval of ${id}, but the policy does not let them (actions: change.request-approval).`,
        ),
      ];
  } catch {
    // A request that does not parse asks for nothing.
  }
  return [];
}
