import { type BrowserWindow, Notification } from "electron";
import type { HomeNotifications } from "../../shared/contract/methods/home";
import type { CoreDoor } from "../core/worker/client";
import { planNotifications } from "./notify-plan";

const POLL_MS = 60_000;

/**
 * Polls the core for home items not yet notified (approvals awaiting me, overdue emergency reviews,
 * conflicts, failed validations, drift, unpushed outbox) and shows them as OS notifications.
 */
export function startNotifier(core: Pick<CoreDoor, "call">, getWindow: () => BrowserWindow | null): () => void {
  let stopped = false;
  const tick = async () => {
    if (stopped || !Notification.isSupported()) return;
    const result = await core.call("home.notifications", {}, "ipc");
    if (!result.ok) return;
    for (const planned of planNotifications((result.value as HomeNotifications).items)) {
      const n = new Notification({
        title: planned.title,
        body: planned.body,
        urgency: planned.urgent ? "critical" : "normal",
      });
      n.on("click", () => {
        const win = getWindow();
        if (!win) return;
        if (win.isMinimized()) win.restore();
        win.focus();
        void win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(planned.route)}`);
      });
      n.show();
    }
  };
  const first = setTimeout(() => void tick(), 5_000);
  const timer = setInterval(() => void tick(), POLL_MS);
  return () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
  };
}
