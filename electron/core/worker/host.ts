import type { CallResult } from "../../../shared/contract/index";
import { fixedClock } from "../clock";
import { confirmKubeconfigPrograms } from "../cluster/exec-trust";
import { type Core, createCore } from "../core";
import { bridgedKeyStore, type KeyBridgeEnd } from "./key-bridge";
import { type FromCore, failureOf, toCore, type WorkerCoreOptions, workerCoreOptions } from "./protocol";

/** The worker's side of its port to the door (worker_threads' parentPort). */
interface HostPort {
  postMessage(message: FromCore): void;
  on(event: "message", listener: (message: unknown) => void): void;
  close(): void;
}

/** What the door hands the worker at start. */
export interface HostStart {
  readonly options: unknown;
  readonly keyBridge?: KeyBridgeEnd;
}

const CRASHED = "Shiftgate's core failed on this call: try again, and restart Shiftgate if it keeps failing.";

/**
 * Runs one core in this (worker) thread and answers the door over `port`: calls in, results and events out, all as
 * data. The core's own lifecycle applies: `close` stops its timers and watches and closes the register, then says
 * `closed`, after which the door ends the worker.
 */
export async function serveCore(port: HostPort, start: HostStart): Promise<void> {
  const parsed = workerCoreOptions.safeParse(start.options);
  if (!parsed.success) {
    port.postMessage({
      type: "failed",
      error: { code: "invalid-input", message: `The core's start options are not valid: ${parsed.error.message}` },
    });
    return;
  }
  let core: Core;
  try {
    core = await createCore(coreOptionsOf(parsed.data, start.keyBridge));
  } catch (error) {
    port.postMessage({ type: "failed", error: failureOf(error, `Shiftgate's core could not start: ${error}`).error });
    return;
  }
  const unsubscribe = core.onEvent((event) => port.postMessage({ type: "event", event }));
  port.on("message", (raw) => {
    const message = toCore.safeParse(raw);
    // Only the door's own code talks on this port; anything it cannot have meant is never acted on. One that names
    // a call is still answered (as a refusal), so no caller waits for ever.
    if (!message.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === "number" && Number.isInteger(id))
        post(port, {
          type: "result",
          id,
          result: { ok: false, error: { code: "invalid-input", message: "The core could not read this request." } },
        });
      return;
    }
    const m = message.data;
    if (m.type === "close") {
      unsubscribe();
      // Closed once git work under way has finished: only then may the door end the thread and its process.
      void core.close().then(() => {
        port.postMessage({ type: "closed" });
        port.close();
      });
      return;
    }
    const answer =
      m.type === "call"
        ? core.call(m.method, m.input, m.door)
        : Promise.resolve().then((): CallResult => {
            confirmKubeconfigPrograms(core.services.register.db, core.services.clock, m, m.programs);
            return { ok: true, value: null };
          });
    void answer
      .catch((error: unknown) => failureOf(error, CRASHED))
      .then((result) => post(port, { type: "result", id: m.id, result }));
  });
  port.postMessage({ type: "ready", registerFile: core.services.register.file });
}

// A result is plain data by contract; one that cannot be cloned (a stray class instance) crosses as its JSON, the
// same form the browser door sends.
function post(port: HostPort, message: FromCore): void {
  try {
    port.postMessage(message);
  } catch {
    port.postMessage(JSON.parse(JSON.stringify(message)) as FromCore);
  }
}

function coreOptionsOf(options: WorkerCoreOptions, keyBridge: KeyBridgeEnd | undefined) {
  return {
    ...options,
    clock: options.clockAt === undefined ? undefined : fixedClock(options.clockAt),
    log: (message: string, error: unknown) => console.error(message, error),
    odoo:
      keyBridge === undefined ? undefined : { keyStore: bridgedKeyStore(keyBridge, options.keyStoreSource ?? "file") },
  };
}
