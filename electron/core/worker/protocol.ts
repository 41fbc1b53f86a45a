import { z } from "zod";
import { ERROR_CODES } from "../../../shared/contract/errors";
import { type EventEnvelope, events } from "../../../shared/contract/events";
import type { CallResult } from "../../../shared/contract/index";

// The messages between a door's thread and the core's worker. Both sides check every message against these
// schemas: a malformed one is refused (answered as data when it names a call), never trusted or thrown.

/** What a door may choose for the core it runs in a worker: plain data only (no functions cross threads). */
export const workerCoreOptions = z.object({
  dataDir: z.string().min(1),
  appVersion: z.string(),
  registerFile: z.string().optional(),
  /** A fixed clock (SHIFTGATE_CLOCK for demos and end-to-end tests); the machine's clock when absent. */
  clockAt: z.iso.datetime({ offset: true }).optional(),
  timeZone: z.string().optional(),
  migrationsDir: z.string().optional(),
  nativeBinding: z.string().optional(),
  demo: z.boolean().optional(),
  background: z.boolean().optional(),
  /** The Odoo key store stays on the door's thread (the desktop's keychain); the core reaches it through a bridge. */
  keyStoreSource: z.enum(["file", "safe-storage"]).optional(),
});
export type WorkerCoreOptions = z.infer<typeof workerCoreOptions>;

const door = z.enum(["ipc", "web", "cli", "direct"]);

/** Door → core. */
export const toCore = z.discriminatedUnion("type", [
  z.object({ type: z.literal("call"), id: z.number().int(), method: z.string(), input: z.unknown(), door }),
  // The desktop menu's "Allow a kubeconfig's login programs…": never a contract method, so no page can reach it.
  z.object({
    type: z.literal("trust-kubeconfig"),
    id: z.number().int(),
    path: z.string(),
    sha256: z.string(),
    programs: z.array(z.string()),
  }),
  z.object({ type: z.literal("close") }),
]);
export type ToCore = z.infer<typeof toCore>;

const errorData = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const callResult = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorData }),
]);

const eventEnvelope = z.object({
  event: z.enum(Object.keys(events) as [keyof typeof events, ...(keyof typeof events)[]]),
  payload: z.unknown(),
});

/** Core → door. */
export const fromCore = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), registerFile: z.string() }),
  z.object({ type: z.literal("failed"), error: errorData }),
  z.object({ type: z.literal("result"), id: z.number().int(), result: callResult }),
  z.object({ type: z.literal("event"), event: eventEnvelope }),
  z.object({ type: z.literal("closed") }),
]);
export type FromCore =
  | { readonly type: "ready"; readonly registerFile: string }
  | { readonly type: "failed"; readonly error: z.infer<typeof errorData> }
  | { readonly type: "result"; readonly id: number; readonly result: CallResult }
  | { readonly type: "event"; readonly event: EventEnvelope }
  | { readonly type: "closed" };

/** A call's result as data, whatever was thrown (a core's own AppError keeps its code and message). */
export function failureOf(error: unknown, fallback: string): CallResult & { ok: false } {
  const parsed = errorData.safeParse(
    typeof error === "object" && error !== null && "toJSON" in error && typeof error.toJSON === "function"
      ? error.toJSON()
      : null,
  );
  if (parsed.success) return { ok: false, error: parsed.data };
  return { ok: false, error: { code: "internal", message: fallback } };
}
