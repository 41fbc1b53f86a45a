import type { ClusterApi, KubeList, KubeWatchEvent, KubeWatchHandle } from "./client";
import { type ClusterReadError, httpStatusOf, translateKubeError } from "./errors";
import { objectKey, resourceVersionOf } from "./model";

/** What a running watch reports: the current objects by namespace/name, after every change. */
type WatchListener = (objects: ReadonlyMap<string, unknown>) => void;

interface ResumableWatchOptions {
  readonly api: ClusterApi;
  /** The list path, e.g. /apis/apps/v1/namespaces/odoo-prod/deployments. */
  readonly path: string;
  readonly source: string;
  readonly what: string;
  /** Lists the same collection: at start and whenever the server says our resourceVersion is too old (410). */
  readonly list: () => Promise<KubeList>;
  readonly onChange: WatchListener;
  readonly onError?: (error: ClusterReadError) => void;
  /** Told true when a list or a watch stream succeeds, false when one fails: whether the objects are current. */
  readonly onLive?: (live: boolean) => void;
  /** Injected wait, so tests run without real delays. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** A running watch: its counters (for tests and diagnostics) and how to stop it. */
export interface ResumableWatch {
  readonly stats: { lists: number; watches: number; events: number; lastResourceVersion: string | null };
  stop(): void;
  /** Settles when the loop has ended after stop(). */
  readonly stopped: Promise<void>;
}

function isExpired(event: KubeWatchEvent): boolean {
  const code = (event.object as { code?: unknown } | null)?.code;
  return event.type === "ERROR" && code === 410;
}

/**
 * Lists a collection, then watches it from the list's resourceVersion. A dropped stream is resumed from the last
 * resourceVersion seen (events or bookmarks), so nothing is missed; a 410 Gone means that history is compacted
 * away, and the collection is listed afresh. Failures wait with exponential backoff.
 */
export function startResumableWatch(options: ResumableWatchOptions): ResumableWatch {
  const objects = new Map<string, unknown>();
  const stats: ResumableWatch["stats"] = { lists: 0, watches: 0, events: 0, lastResourceVersion: null };
  let stopped = false;
  let current: KubeWatchHandle | null = null;
  let failures = 0;
  const subject = {
    source: options.source,
    what: options.what,
    context: options.api.context,
    server: options.api.server,
    timeoutMs: options.api.timeoutMs,
  };
  const backoff = () =>
    Math.min((options.backoffMs ?? 1000) * 2 ** Math.max(0, failures - 1), options.maxBackoffMs ?? 60_000);

  const relist = async () => {
    const list = await options.list();
    stats.lists++;
    objects.clear();
    for (const item of list.items) {
      const key = objectKey(item);
      if (key) objects.set(key, item);
    }
    stats.lastResourceVersion = list.resourceVersion || null;
    options.onChange(objects);
  };

  const loop = async () => {
    let resourceVersion: string | null = null;
    while (!stopped) {
      if (resourceVersion === null) {
        try {
          await relist();
          resourceVersion = stats.lastResourceVersion ?? "0";
          failures = 0;
        } catch (error) {
          failures++;
          options.onLive?.(false);
          options.onError?.(translateKubeError(error, subject));
          await options.sleep(backoff());
          continue;
        }
      }
      let expired = false;
      let received = 0;
      stats.watches++;
      current = options.api.watch(options.path, resourceVersion, (event) => {
        if (isExpired(event)) {
          expired = true;
          return;
        }
        const rv = resourceVersionOf(event.object);
        if (rv) {
          resourceVersion = rv;
          stats.lastResourceVersion = rv;
        }
        received++;
        if (event.type === "BOOKMARK" || event.type === "ERROR") return;
        const key = objectKey(event.object);
        if (!key) return;
        stats.events++;
        if (event.type === "DELETED") objects.delete(key);
        else objects.set(key, event.object);
        options.onChange(objects);
      });
      void current.opened.then((ok) => {
        if (ok && !stopped) options.onLive?.(true);
      });
      const error = await current.done;
      current = null;
      if (stopped) break;
      if (expired || httpStatusOf(error) === 410) {
        resourceVersion = null;
        continue;
      }
      if (error || received === 0) {
        // A stream that fails, or closes at once without a word, is retried with backoff rather than in a hot loop.
        failures++;
        options.onLive?.(false);
        if (error) options.onError?.(translateKubeError(error, subject));
        await options.sleep(backoff());
      } else {
        failures = 0;
      }
    }
  };

  const done = loop();
  return {
    stats,
    stop: () => {
      stopped = true;
      current?.abort();
    },
    stopped: done,
  };
}
