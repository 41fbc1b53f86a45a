import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { type MessagePort, Worker } from "node:worker_threads";
import { AppError } from "../../../shared/contract/errors";
import type { EventEnvelope } from "../../../shared/contract/events";
import type { CallResult } from "../../../shared/contract/index";
import type { Door } from "../dispatch";
import type { OdooKeyStore } from "../odoo/keys";
import type { HostStart } from "./host";
import { serveKeyStore } from "./key-bridge";
import { type FromCore, fromCore, type ToCore, type WorkerCoreOptions } from "./protocol";

/** What a door needs of a core: the contract's calls and its events. The in-process Core has the same shape. */
export interface CoreDoor {
  call(method: string, input: unknown, door?: Door): Promise<CallResult>;
  onEvent(listener: (event: EventEnvelope) => void): () => void;
}

/** A core running in a worker thread, as the door's thread sees it. */
export interface CoreClient extends CoreDoor {
  readonly registerFile: string;
  /** The desktop menu's kubeconfig confirmation (a file and programs the OS dialogs chose; no page reaches it). */
  trustKubeconfig(file: {
    readonly path: string;
    readonly sha256: string;
    readonly programs: readonly string[];
  }): Promise<CallResult>;
  /** Closes the core (timers, watches, register) and ends the worker; calls after it are refused as data. */
  close(): Promise<void>;
}

interface CoreWorkerOptions {
  readonly core: WorkerCoreOptions;
  /** An Odoo key store that must stay on this thread (the desktop's keychain); the core asks it over a bridge. */
  readonly keyStore?: OdooKeyStore;
  /** The worker's script; by default the built core-worker.js beside this bundle, or the sources through tsx. */
  readonly script?: URL;
}

const GONE = "Shiftgate's core has stopped, so nothing was done: close this window and start Shiftgate again.";

/**
 * Starts the core in a worker thread and resolves once its register is open: the door's own thread then only
 * forwards calls and events, so a long call (a million audit rows verified, a big import) never holds it up.
 */
export async function startCoreWorker(options: CoreWorkerOptions): Promise<CoreClient> {
  const bridge = options.keyStore ? serveKeyStore(options.keyStore) : null;
  const start: HostStart = {
    options: { ...options.core, keyStoreSource: options.keyStore?.source },
    keyBridge: bridge?.end,
  };
  const worker = spawn(options.script, start, bridge ? [bridge.end.port] : []);
  const pending = new Map<number, (result: CallResult) => void>();
  const listeners = new Set<(event: EventEnvelope) => void>();
  let nextId = 1;
  let gone: string | null = null;
  let onClosed: (() => void) | null = null;
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));

  // Every outstanding call is answered, as data, whatever ended the worker.
  const endAll = (why: string) => {
    gone ??= why;
    for (const answer of pending.values()) answer({ ok: false, error: { code: "unavailable", message: gone } });
    pending.clear();
    bridge?.close();
    onClosed?.();
  };
  const ready = new Promise<string>((resolve, reject) => {
    worker.on("message", (raw: unknown) => {
      const parsed = fromCore.safeParse(raw);
      if (!parsed.success) return;
      const message = parsed.data as FromCore;
      switch (message.type) {
        case "ready":
          return resolve(message.registerFile);
        case "failed":
          return reject(AppError.fromData(message.error));
        case "result": {
          const answer = pending.get(message.id);
          pending.delete(message.id);
          return answer?.(message.result);
        }
        case "event":
          for (const listener of listeners) listener(message.event);
          return;
        case "closed":
          return endAll(GONE);
      }
    });
    worker.on("error", (error) => {
      reject(error);
      endAll(`${GONE} (${error.message})`);
    });
    worker.on("exit", () => {
      reject(new Error("Shiftgate's core ended before it was ready."));
      endAll(GONE);
    });
  });
  const registerFile = await ready.catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });

  const send = (message: ToCore) => worker.postMessage(message);
  const ask = (build: (id: number) => ToCore): Promise<CallResult> => {
    if (gone !== null) return Promise.resolve({ ok: false, error: { code: "unavailable", message: gone } });
    const id = nextId++;
    return new Promise<CallResult>((resolve) => {
      pending.set(id, resolve);
      send(build(id));
    });
  };
  return {
    registerFile,
    call: (method, input, door = "direct") => ask((id) => ({ type: "call", id, method, input, door })),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    trustKubeconfig: (file) =>
      ask((id) => ({
        type: "trust-kubeconfig",
        id,
        path: file.path,
        sha256: file.sha256,
        programs: [...file.programs],
      })),
    close: async () => {
      if (gone === null) {
        const closed = new Promise<void>((resolve) => {
          onClosed = resolve;
        });
        send({ type: "close" });
        // The core has stopped its timers and closed its register; whatever else the thread still runs ends here.
        await Promise.race([closed, exited]);
      }
      listeners.clear();
      await worker.terminate();
      await exited;
    },
  };
}

function spawn(script: URL | undefined, start: HostStart, transfer: readonly MessagePort[]): Worker {
  const options = { workerData: start, transferList: [...transfer] };
  if (script) return new Worker(script, options);
  const here = import.meta.url;
  // Built: core-worker.js sits beside the bundle's chunks. Sources (development, tests): the entry through tsx.
  if (!here.endsWith(".ts")) return new Worker(new URL("./core-worker.js", here), options);
  const entry = new URL("./entry.ts", here).href;
  const tsx = pathToFileURL(tsxEsmApi(here)).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

// tsx's ES module API (its CommonJS build cannot register the ESM loader in a worker), found from its own exports.
function tsxEsmApi(from: string): string {
  const manifest = createRequire(from).resolve("tsx/package.json");
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  return join(dirname(manifest), pkg.exports["./esm/api"]?.import?.default ?? "dist/esm/api/index.mjs");
}
