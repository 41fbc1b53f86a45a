import { ipcMain, type WebContents } from "electron";
import type { CallResult } from "../../shared/contract/index";
import type { CoreDoor } from "../core/worker/client";
import { answerIpcCall } from "./ipc-call";

const CALL_CHANNEL = "shiftgate:call";
const EVENT_CHANNEL = "shiftgate:event";

/** The one IPC handler: describes the sender for answerIpcCall, which checks it and dispatches. */
export function registerIpc(core: CoreDoor, appWindows: () => ReadonlySet<WebContents>): () => void {
  ipcMain.handle(CALL_CHANNEL, (event, method: unknown, input: unknown): Promise<CallResult> => {
    const sender = {
      webContentsId: event.sender.id,
      frameUrl: event.senderFrame?.url ?? null,
      isMainFrame: event.senderFrame !== null && event.senderFrame === event.sender.mainFrame,
    };
    return answerIpcCall(core, sender, new Set([...appWindows()].map((w) => w.id)), method, input);
  });
  const unsubscribe = core.onEvent((envelope) => {
    for (const contents of appWindows()) if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, envelope);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
  };
}
