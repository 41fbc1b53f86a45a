import { ZodError } from "zod";
import {
  AppError,
  type AppErrorData,
  type CallResult,
  type EventEnvelope,
  type EventName,
  type EventPayload,
  isMethodName,
  type MethodName,
  type MethodOutput,
  type MethodParsedInput,
  methodEntity,
  methods,
} from "../../shared/contract/index";
import { plainIssue } from "../../shared/contract/plain-issue";
import type { Clock } from "./clock";
import { type IdSource, ulidSource } from "./ids";

/** Which door a call came through. */
export type Door = "ipc" | "web" | "cli" | "direct";

/** One audit row as a handler describes it; the register adds sequence, time and the hash chain. */
export interface AuditInput {
  readonly action: string;
  readonly entity: string;
  readonly entityId: string | null;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly reason?: string | null;
}

/** What a handler may use: injected effects, the audit queue and the event queue. */
export interface HandlerContext {
  readonly clock: Clock;
  /** The core's one id source: new row ids come from here (`ctx.ids.next(ctx.clock.now())`). */
  readonly ids: IdSource;
  readonly door: Door;
  readonly method: MethodName;
  /** Queues an audit row, written in the same transaction as the handler's writes. */
  audit(entry: AuditInput): void;
  /** Queues an event, delivered only after the transaction commits. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Runs `fn` in one register transaction together with the audit rows queued so far (async handlers). */
  transact<T>(fn: () => T): T;
}

type SyncHandler<M extends MethodName> = (input: MethodParsedInput<M>, ctx: HandlerContext) => MethodOutput<M>;
type AsyncHandler<M extends MethodName> = {
  readonly async: (input: MethodParsedInput<M>, ctx: HandlerContext) => Promise<MethodOutput<M>>;
};

/** A handler: a sync function (wrapped in a transaction when the method mutates) or `{async}` using ctx.transact. */
type Handler<M extends MethodName> = SyncHandler<M> | AsyncHandler<M>;
export type Handlers = { readonly [M in MethodName]: Handler<M> };

/** How the dispatcher reaches storage; absent in tests of pure methods. */
interface TransactionPort {
  /** Runs fn atomically: all of it commits or none of it does. */
  transaction<T>(fn: () => T): T;
  /** Appends audit rows; called inside the transaction. */
  writeAudit(entries: readonly AuditInput[], meta: { readonly door: Door; readonly at: Date }): void;
}

interface DispatcherDeps {
  readonly handlers: Handlers;
  readonly clock: Clock;
  /** The core's id source (createCore passes services.ids); a dispatcher without one makes its own. */
  readonly ids?: IdSource;
  readonly storage?: TransactionPort;
  readonly onEvent?: (event: EventEnvelope) => void;
  /** Translates library errors (SQLite, git, Kubernetes) into AppErrors; returns null when it does not know one. */
  readonly translateError?: (error: unknown) => AppError | null;
  readonly log?: (message: string, error: unknown) => void;
}

export type Dispatch = (method: string, input: unknown, door?: Door) => Promise<CallResult>;

/** Builds the one entry point every door calls: validate, run, audit, emit after commit, serialise. */
export function createDispatcher(options: DispatcherDeps): Dispatch {
  let seq = 0;
  const deps = { ...options, ids: options.ids ?? ulidSource(), stamp: () => ++seq };
  return async (name, rawInput, door = "direct") => {
    try {
      if (!isMethodName(name)) {
        throw new AppError("unknown-method", `There is no method called ${JSON.stringify(String(name))}.`);
      }
      const spec = methods[name];
      const parsed = spec.input.safeParse(rawInput ?? {});
      if (!parsed.success) throw invalidInput(parsed.error);
      const { value, events } = await run(deps, name, parsed.data, door, spec.mutates);
      return events.length > 0 ? { ok: true, value: serialise(value), events } : { ok: true, value: serialise(value) };
    } catch (error) {
      return { ok: false, error: toErrorData(error, deps) };
    }
  };
}

async function run(
  deps: DispatcherDeps & { readonly ids: IdSource; readonly stamp: () => number },
  name: MethodName,
  input: unknown,
  door: Door,
  mutates: boolean,
) {
  const pendingAudit: AuditInput[] = [];
  const pendingEvents: EventEnvelope[] = [];
  const storage = deps.storage;
  const transact = <T>(fn: () => T): T => {
    if (!storage) return fn();
    return storage.transaction(() => {
      const result = fn();
      if (pendingAudit.length > 0) {
        storage.writeAudit(pendingAudit.splice(0), { door, at: deps.clock.now() });
      }
      return result;
    });
  };
  const ctx: HandlerContext = {
    clock: deps.clock,
    ids: deps.ids,
    door,
    method: name,
    audit: (entry) => {
      pendingAudit.push(entry);
    },
    emit: (event, payload) => {
      pendingEvents.push({ event, payload } as EventEnvelope);
    },
    transact,
  };
  const handler = deps.handlers[name] as Handler<MethodName>;
  let value: unknown;
  if (typeof handler === "function") {
    value = mutates ? transact(() => handler(input as never, ctx)) : handler(input as never, ctx);
  } else {
    value = await handler.async(input as never, ctx);
    // An async handler that queued audit rows without transact still gets them written, atomically.
    if (pendingAudit.length > 0) transact(() => undefined);
  }
  // A writing method says so once its result is in, whether its handler was sync or awaited git and the network:
  // the renderer refreshes by the entity an event names and by nothing else.
  if (mutates && !pendingEvents.some((e) => e.event === "register.changed"))
    pendingEvents.push({ event: "register.changed", payload: { entity: methodEntity(name) } });
  const events = pendingEvents.map((e): EventEnvelope => ({ ...e, seq: deps.stamp() }));
  for (const event of events) deps.onEvent?.(event);
  return { value, events };
}

function invalidInput(error: ZodError): AppError {
  // In words a plant manager can act on, naming the field; forms put each message beside its field by path.
  const plain = error.issues.slice(0, 10).map(plainIssue);
  const issues = plain.map((p) => ({ path: p.path || "(input)", message: p.message }));
  const first = plain[0];
  const message = first ? `Check the form: ${first.sentence}` : "Check the form: something in it is not right.";
  return new AppError("invalid-input", message, { issues });
}

function toErrorData(error: unknown, deps: DispatcherDeps): AppErrorData {
  if (error instanceof AppError) return error.toJSON();
  if (error instanceof ZodError) return invalidInput(error).toJSON();
  const translated = deps.translateError?.(error);
  if (translated) return translated.toJSON();
  deps.log?.("internal error in dispatch", error);
  return { code: "internal", message: "Something went wrong inside Shiftgate; the change was not saved." };
}

/** Turns a handler result into plain JSON data: dates become RFC 3339 strings, undefined fields vanish. */
function serialise<T>(value: T): T {
  if (value === undefined) return null as T;
  return JSON.parse(JSON.stringify(value)) as T;
}
