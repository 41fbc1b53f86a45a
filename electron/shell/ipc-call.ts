import type { CallResult } from "../../shared/contract/index";
import type { CoreDoor } from "../core/worker/client";
import { isTrustedSender, type SenderInfo } from "./guards";

/**
 * Answers one call that arrived over IPC: any sender but the app's own window (top frame, app:// page) is
 * refused before the core sees the call; everything else goes to the dispatcher, which validates the method
 * name and the input against the contract. Kept free of 'electron' so it is tested under plain Node.
 */
export function answerIpcCall(
  core: Pick<CoreDoor, "call">,
  sender: SenderInfo,
  appWebContentsIds: ReadonlySet<number>,
  method: unknown,
  input: unknown,
): Promise<CallResult> {
  if (!isTrustedSender(sender, appWebContentsIds))
    return Promise.resolve({ ok: false, error: { code: "forbidden", message: "This window may not call Shiftgate." } });
  return core.call(typeof method === "string" ? method : "", input, "ipc");
}
