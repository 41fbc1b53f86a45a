import { durationMs } from "../../../shared/domain/policy/index";
import type { GitContext } from "../gitops/git";
import { type JudgedLedger, verifyRepo } from "../gitops/verify/verify";
import type { NotifyConfig } from "./config";
import { type NotifyItem, waitingItems } from "./items";
import { deepLinks } from "./messages";
import type { StateStore } from "./state";
import type { Delivery, Sender } from "./transports";

interface NotifyOptions {
  readonly repo: string;
  readonly config: NotifyConfig;
  /** The instant items and reminders are judged at (injected: CI passes none, tests advance it). */
  readonly now: Date;
  readonly ctx: GitContext;
  readonly trustRoot?: string;
  readonly state: StateStore;
  /** Null for --dry-run: nothing is sent and the state is left as it is. */
  readonly sender: Sender | null;
}

/** What happened to one delivery. */
interface DeliveryOutcome {
  readonly target: string;
  readonly item: string;
  readonly change: string;
  readonly to: string | null;
  readonly status: "sent" | "would-send" | "not-due" | "failed";
  readonly reminder: boolean;
  readonly error?: string;
}

export interface NotifyResult {
  readonly items: readonly NotifyItem[];
  readonly deliveries: readonly DeliveryOutcome[];
  /** Targets with at least one failed delivery: the run exits 1 and they are retried next run. */
  readonly failedTargets: readonly string[];
  /** What verify found on the way (notify still tells people what waits; CI's verify job fails on findings). */
  readonly verify: { readonly ok: boolean; readonly checked: number; readonly findings: number };
}

/** The key a delivery's last send is kept under: target, item, and for e-mail the person. */
function deliveryKey(d: Pick<Delivery, "target" | "item" | "to">): string {
  return [d.target.name, d.item.key, ...(d.to ? [d.to.email.toLowerCase()] : [])].join("|");
}

/**
 * `gitops notify`: reads the ledger as verify judges it (pinned trust), finds what waits, and sends each delivery
 * that was never sent or whose reminder interval has passed. The state is saved after every successful send, so a
 * run killed halfway resends nothing that went out; a failed send is not recorded and is retried next run.
 */
export async function runNotify(options: NotifyOptions): Promise<NotifyResult> {
  const { config, now } = options;
  let ledger = null as JudgedLedger | null;
  const verified = await verifyRepo({
    repo: options.repo,
    now,
    ctx: options.ctx,
    trustRoot: options.trustRoot,
    onLedger: (l) => {
      ledger = l;
    },
  });
  const items = ledger ? waitingItems(ledger, now, durationMs(config.windows.leadTime)) : [];
  const every = durationMs(config.reminders.every);
  const state = await options.state.load();
  const planned: Delivery[] = [];
  for (const item of items) {
    const links = deepLinks(item.change, config.links.browser);
    for (const target of config.targets) {
      if (target.kinds && !target.kinds.includes(item.kind)) continue;
      const recipients = target.type === "email" ? item.recipients : [null];
      for (const to of recipients) planned.push({ target, item, to, links, reminder: false });
    }
  }
  const outcomes: DeliveryOutcome[] = [];
  const failed = new Set<string>();
  // Only deliveries still waiting are kept, so the state does not grow with every change ever notified.
  const next = new Map([...state].filter(([k]) => planned.some((d) => deliveryKey(d) === k)));
  for (const base of planned) {
    const key = deliveryKey(base);
    const last = state.get(key);
    const d = { ...base, reminder: last !== undefined };
    const outcome = {
      target: d.target.name,
      item: d.item.key,
      change: d.item.change,
      to: d.to?.email ?? null,
      reminder: d.reminder,
    };
    if (last !== undefined && now.getTime() - Date.parse(last) < every) {
      outcomes.push({ ...outcome, status: "not-due" });
      continue;
    }
    if (!options.sender) {
      outcomes.push({ ...outcome, status: "would-send" });
      continue;
    }
    try {
      await options.sender.send(d, now);
    } catch (error) {
      failed.add(d.target.name);
      outcomes.push({ ...outcome, status: "failed", error: failureText(error) });
      continue;
    }
    next.set(key, now.toISOString());
    await options.state.save(next);
    outcomes.push({ ...outcome, status: "sent" });
  }
  if (options.sender && next.size !== state.size) await options.state.save(next);
  const verify = { ok: verified.ok, checked: verified.checked, findings: verified.findings.length };
  return { items, deliveries: outcomes, failedTargets: [...failed], verify };
}

// fetch hides the reason in `cause` ("fetch failed" alone tells a plant manager nothing).
function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const detail =
    cause instanceof Error ? `${(cause as Error & { code?: string }).code ?? ""} ${cause.message}`.trim() : "";
  return detail && !error.message.includes(detail) ? `${error.message} (${detail})` : error.message;
}
