/** "just now", "4 min ago", "3 h ago", "2 days ago": how long before `now` an RFC 3339 instant was. */
export function relativeAge(at: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(at)) / 1000));
  if (seconds < 60) return "just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

const PHASES = {
  fetching: "fetching from the remote",
  pushing: "sending what waits",
  importing: "reading what came in",
} as const;

/** What a sync phase is doing, in words. */
export function syncPhaseText(phase: keyof typeof PHASES): string {
  return PHASES[phase];
}

/**
 * The facts of a sync status these lines read: contract's `GitopsSyncStatus` fits it as it is (declared here because
 * the domain never imports the contract).
 */
interface SyncStatusFacts {
  readonly configured: boolean;
  readonly running: { readonly phase: keyof typeof PHASES } | null;
  readonly lastHeardAt: string | null;
  readonly lastResult: {
    readonly at: string;
    readonly pulled: number;
    readonly imported: number;
    readonly pushed: number;
  } | null;
  readonly lastError: {
    readonly at: string;
    readonly message: string;
    readonly conflicts: readonly { readonly path: string }[];
  } | null;
  readonly waiting: {
    readonly count: number;
    readonly items: readonly { readonly subject: string; readonly state: string; readonly lastError: string | null }[];
  };
}

/** The sync status as lines a person reads (the CLI prints them; the Sync screen shows the same facts). */
export function syncSummaryLines(status: SyncStatusFacts, now: Date): string[] {
  if (!status.configured) return ["No GitOps repository is set up on this laptop yet."];
  const lines = [
    status.lastHeardAt
      ? `Last heard from the remote: ${status.lastHeardAt} (${relativeAge(status.lastHeardAt, now)})`
      : "Last heard from the remote: never",
  ];
  if (status.running) lines.push(`Syncing: ${syncPhaseText(status.running.phase)}`);
  const waiting = status.waiting;
  lines.push(waiting.count === 0 ? "Waiting to go out: nothing" : `Waiting to go out: ${waiting.count} commit(s)`);
  for (const item of waiting.items)
    lines.push(`  ${item.subject} (${item.state}${item.lastError ? `: ${item.lastError}` : ""})`);
  if (status.lastError) {
    lines.push(`Last sync failed ${relativeAge(status.lastError.at, now)}: ${status.lastError.message}`);
    for (const file of status.lastError.conflicts) lines.push(`  conflict: ${file.path}`);
  } else if (status.lastResult)
    lines.push(
      `Last sync ${relativeAge(status.lastResult.at, now)}: pulled ${status.lastResult.pulled} commit(s), imported ${status.lastResult.imported} change(s), pushed ${status.lastResult.pushed}`,
    );
  return lines;
}
