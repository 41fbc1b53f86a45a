import { z } from "zod";
import { method } from "../define";

// ---------- output types ----------

const HOME_SECTIONS = [
  "unauthorised",
  "failedReleases",
  "approvals",
  "overdueReviews",
  "rescheduling",
  "conflicts",
  "failedGates",
  "drift",
  "outbox",
] as const;
export type HomeSectionId = (typeof HOME_SECTIONS)[number];

/** Something that needs someone now, with the place that deals with it. */
export interface HomeItem {
  /** Stable across calls ("approval:<changeId>"): the notification ledger notifies a key once. */
  readonly key: string;
  readonly section: HomeSectionId;
  readonly title: string;
  readonly detail: string;
  readonly severity: "info" | "warning" | "critical";
  /** The app location that handles it, as a hash route ("#/approvals?change=…"). */
  readonly route: string;
  readonly changeId: string | null;
  /** When it became due or relevant, when known. */
  readonly at: string | null;
}

/**
 * One section of the home screen. not-configured: the capability is not set up (or not built yet);
 * error: it failed to answer, with a message a plant manager can act on.
 */
export interface HomeSection {
  readonly id: HomeSectionId;
  readonly label: string;
  readonly state: "ok" | "not-configured" | "error";
  readonly message: string | null;
  readonly items: readonly HomeItem[];
}

export interface HomeSummary {
  readonly generatedAt: string;
  /** Who "me" is: the identity's e-mail, or null when no signing key is selected. */
  readonly me: string | null;
  readonly sections: readonly HomeSection[];
}

export interface HomeNotifications {
  /** The highest ledger sequence so far: pass it back as `after` to get only newer items. */
  readonly cursor: number;
  readonly items: readonly HomeItem[];
}

// ---------- input schemas ----------

export const homeMethods = {
  "home.summary": method<HomeSummary>()({ input: z.object({}).strict(), mutates: false }),
  /**
   * Home items new to the desktop notifier. Without `after`: the items never delivered before, which are
   * then marked delivered (survives restarts). With `after`: the items first seen after that cursor, unmarked.
   */
  "home.notifications": method<HomeNotifications>()({
    input: z.object({ after: z.number().int().min(0).optional() }).strict(),
    mutates: false,
  }),
} as const;

export type HomeMethodName = keyof typeof homeMethods;
