import { MessageChannel, type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import { z } from "zod";
import { AppError, ERROR_CODES } from "../../../shared/contract/errors";
import type { OdooKeyStore } from "../odoo/keys";
import { failureOf } from "./protocol";

// The desktop keeps Odoo API keys with the OS keychain (Electron's safeStorage), which only the main process can
// reach; the core runs in a worker and its key store interface is synchronous. So the worker asks over a port of
// its own and waits on a shared flag until the main thread has answered: a key is read or written in microseconds,
// and the main thread never waits for the worker.

/** The worker's end of the bridge: transferred to it at start. */
export interface KeyBridgeEnd {
  readonly port: MessagePort;
  readonly flag: SharedArrayBuffer;
}

const request = z.discriminatedUnion("op", [
  z.object({ op: z.literal("get"), environment: z.string() }),
  z.object({ op: z.literal("set"), environment: z.string(), key: z.string() }),
  z.object({ op: z.literal("remove"), environment: z.string() }),
]);

const reply = z.union([
  z.object({ ok: z.literal(true), value: z.string().nullable() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

/** How long the worker waits for the keychain's answer before it says so (the main thread is busy or gone). */
const ANSWER_MS = 30_000;

/** Door side: answers the worker's key-store requests from the store held on this thread. */
export function serveKeyStore(store: OdooKeyStore): { readonly end: KeyBridgeEnd; close(): void } {
  const { port1, port2 } = new MessageChannel();
  const flag = new SharedArrayBuffer(4);
  const signal = new Int32Array(flag);
  port1.on("message", (raw: unknown) => {
    let answer: unknown;
    try {
      const asked = request.parse(raw);
      if (asked.op === "get") answer = { ok: true, value: store.get(asked.environment) };
      else {
        if (asked.op === "set") store.set(asked.environment, asked.key);
        else store.remove(asked.environment);
        answer = { ok: true, value: null };
      }
    } catch (error) {
      answer = failureOf(error, "The Odoo key could not be read from or written to this computer's keychain.");
    }
    port1.postMessage(answer);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
  // The worker keeps the process alive while it runs; the bridge alone must not.
  port1.unref();
  return { end: { port: port2, flag }, close: () => port1.close() };
}

/** Worker side: the key store whose every call waits for the door thread's answer. */
export function bridgedKeyStore(end: KeyBridgeEnd, source: OdooKeyStore["source"]): OdooKeyStore {
  const signal = new Int32Array(end.flag);
  const ask = (asked: z.infer<typeof request>): string | null => {
    Atomics.store(signal, 0, 0);
    end.port.postMessage(asked);
    if (Atomics.wait(signal, 0, 0, ANSWER_MS) === "timed-out")
      throw new AppError("unavailable", "This computer's keychain did not answer: try again, or restart Shiftgate.");
    const got = reply.safeParse(receiveMessageOnPort(end.port)?.message);
    if (!got.success) throw new AppError("internal", "The keychain's answer could not be read: restart Shiftgate.");
    if (got.data.ok) return got.data.value;
    const code = z.enum(ERROR_CODES).safeParse(got.data.error.code);
    throw new AppError(code.success ? code.data : "internal", got.data.error.message);
  };
  return {
    source,
    get: (environment) => ask({ op: "get", environment }),
    set: (environment, key) => void ask({ op: "set", environment, key }),
    remove: (environment) => void ask({ op: "remove", environment }),
  };
}
