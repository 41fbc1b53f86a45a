import { confirmKubeconfigPrograms, inspectKubeconfigFile } from "../core/cluster/exec-trust";
import type { Core } from "../core/core";
import type { CoreClient } from "../core/worker/client";

/** The desktop's own dialogs (main.ts passes Electron's): nothing here is reachable from a page. */
export interface ConfirmDialogs {
  /** The file the user picked in the OS file dialog, or null when cancelled. */
  chooseFile(): Promise<string | null>;
  /** Shows the file, its SHA-256 and programs; true only when the user chose to allow them. */
  confirm(question: {
    readonly path: string;
    readonly sha256: string;
    readonly programs: readonly string[];
  }): Promise<boolean>;
  inform(message: string): Promise<void>;
}

/**
 * The menu's "Allow a kubeconfig's login programs…": the desktop equivalent of `shiftgate cluster trust-exec`. The
 * file comes from the OS dialog and the yes from a native message box, never from the renderer.
 */
export async function confirmKubeconfigFromDialog(
  core: Pick<Core, "services"> | Pick<CoreClient, "trustKubeconfig">,
  dialogs: ConfirmDialogs,
): Promise<"confirmed" | "cancelled" | "nothing-to-confirm"> {
  const chosen = await dialogs.chooseFile();
  if (!chosen) return "cancelled";
  let print: Awaited<ReturnType<typeof inspectKubeconfigFile>>;
  try {
    print = await inspectKubeconfigFile(chosen);
  } catch (error) {
    await dialogs.inform(error instanceof Error ? error.message : String(error));
    return "cancelled";
  }
  if (print.programs.length === 0) {
    await dialogs.inform(`${print.path} runs no program to log in; there is nothing to allow.`);
    return "nothing-to-confirm";
  }
  if (!(await dialogs.confirm(print))) return "cancelled";
  // The desktop's core runs in a worker (it records the trust there); an in-process core records it here.
  if ("services" in core) {
    confirmKubeconfigPrograms(core.services.register.db, core.services.clock, print, print.programs);
    return "confirmed";
  }
  const recorded = await core.trustKubeconfig(print);
  if (recorded.ok) return "confirmed";
  await dialogs.inform(recorded.error.message);
  return "cancelled";
}
