import {
  AppError,
  type CallResult,
  type EventEnvelope,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from "../../shared/contract/index";

/** How the renderer reaches the core: Electron IPC through the preload, or HTTP + WebSocket in a browser. */
interface Transport {
  readonly kind: "ipc" | "web";
  call(method: string, input: unknown): Promise<CallResult>;
  on(listener: (event: EventEnvelope) => void): () => void;
}

/** The only API the preload exposes. */
interface PreloadApi {
  call(method: string, input: unknown): Promise<CallResult>;
  on(listener: (event: EventEnvelope) => void): () => void;
}

declare global {
  interface Window {
    shiftgate?: PreloadApi;
  }
}

const TOKEN_KEY = "shiftgate.token";

/** Picks the transport at start: IPC when the preload is there, else the loopback server that served this page. */
export function createTransport(win: Window): Transport {
  const api = win.shiftgate;
  if (api) return { kind: "ipc", call: (m, i) => api.call(m, i), on: (l) => api.on(l) };
  return createWebTransport(win);
}

function readToken(win: Window): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(win.location.hash);
  if (match?.[1]) {
    win.sessionStorage.setItem(TOKEN_KEY, match[1]);
    // Keep the token out of the address bar, history and screenshots.
    win.history.replaceState(null, "", win.location.pathname + win.location.search);
    return match[1];
  }
  return win.sessionStorage.getItem(TOKEN_KEY);
}

function createWebTransport(win: Window): Transport {
  const token = readToken(win);
  const listeners = new Set<(event: EventEnvelope) => void>();
  let socket: WebSocket | null = null;
  let retry = 500;
  const connect = () => {
    if (!token || listeners.size === 0 || socket) return;
    const proto = win.location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${proto}//${win.location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket = ws;
    ws.onmessage = (msg) => {
      try {
        const event = JSON.parse(String(msg.data)) as EventEnvelope;
        for (const listener of listeners) listener(event);
      } catch {
        // a malformed event is dropped; the next refresh catches up
      }
    };
    ws.onopen = () => {
      retry = 500;
    };
    ws.onclose = () => {
      socket = null;
      retry = Math.min(retry * 2, 15_000);
      win.setTimeout(connect, retry);
    };
  };
  return {
    kind: "web",
    call: async (method, input) => {
      if (!token) {
        return {
          ok: false,
          error: {
            code: "unauthorised",
            message: "Open the link that `npm run web` printed: it carries this run's token.",
          },
        };
      }
      try {
        const res = await fetch("/api/call", {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body: JSON.stringify({ method, input }),
        });
        return (await res.json()) as CallResult;
      } catch {
        return { ok: false, error: { code: "unavailable", message: "Shiftgate's local server is not answering." } };
      }
    },
    on: (listener) => {
      listeners.add(listener);
      connect();
      return () => listeners.delete(listener);
    },
  };
}

/** A typed client over a transport: resolves with the method's output or rejects with an AppError. */
export function createClient(transport: Transport) {
  return {
    transport,
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      const result = await transport.call(method, input);
      if (!result.ok) throw AppError.fromData(result.error);
      return result.value as MethodOutput<M>;
    },
  };
}

export type Client = ReturnType<typeof createClient>;
