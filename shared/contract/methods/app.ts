import { z } from "zod";
import { method } from "../define";

/** The GitOps repository as this laptop sees it. */
export interface GitopsRepoState {
  readonly configured: boolean;
  readonly path: string | null;
  readonly branch: string | null;
  readonly head: string | null;
  readonly remote: string | null;
}

/** What `app.status` reports: enough to tell a support call what this install is. */
export interface AppStatus {
  readonly name: string;
  readonly version: string;
  readonly registerPath: string;
  readonly schemaVersion: number;
  readonly gitops: GitopsRepoState;
  readonly timeZone: string;
  readonly now: string;
  readonly door: "ipc" | "web" | "cli" | "direct";
}

export const appMethods = {
  "app.status": method<AppStatus>()({ input: z.object({}).strict(), mutates: false }),
} as const;
