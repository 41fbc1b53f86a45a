import { ipcMain, type WebContents } from "electron";
import type { CallResult } from "../../shared/contract/index";
import type { Core } from "../core/core";
import { isTrustedSender } from "./guards";

export const CALL_CHANNEL = "shiftgate:call";
export const EVENT_CHANNEL = "shiftgate:event";

/** The one IPC handler: checks the sender, then hands the call to the dispatcher (which validates input). */
export function registerIpc(core: Core, appWindows: () => ReadonlySet<WebContents>): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, input: unknown): Promise<CallResult> => {
    const windows = appWindows();
    const trusted = isTrustedSender(
      {
        webContentsId: event.sender.id,
        frameUrl: event.senderFrame?.url ?? null,
        isMainFrame: event.senderFrame !== null && event.senderFrame === event.sender.mainFrame,
      },
      new Set([...windows].map((w) => w.id)),
    );
    if (!trusted) return { ok: false, error: { code: "forbidden", message: "This window may not call Shiftgate." } };
    return core.call(typeof method === "string" ? method : "", input, "ipc");
  });
  const unsubscribe = core.onEvent((envelope) => {
    for (const contents of appWindows()) if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, envelope);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
  };
}
