import { join } from "node:path";
import { BrowserWindow, shell } from "electron";
import { APP_ORIGIN, isAllowedExternalUrl, isAllowedNavigation } from "./guards";
import type { WindowState } from "./window-state";

/** Opens the main window: isolated, sandboxed, no Node, no webview, navigation kept inside the app. */
export function createMainWindow(preloadDir: string, state: WindowState, page: string | null): BrowserWindow {
  const win = new BrowserWindow({
    ...state.bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: "Shiftgate",
    backgroundColor: "#0f1720",
    webPreferences: {
      // Reviewed (build/security-review.json): the preload exposes only window.shiftgate.call/on.
      preload: join(preloadDir, "preload.cjs"), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      enableRemoteModule: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: "Auxclick",
    },
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Reviewed (build/security-review.json): only https links to allowlisted hosts leave the app.
    if (isAllowedExternalUrl(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
    return { action: "deny" };
  });
  win.webContents.on("will-navigate", (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  win.webContents.on("will-redirect", (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  win.once("ready-to-show", () => {
    if (state.maximized) win.maximize();
    win.webContents.setZoomFactor(state.zoomFactor);
    win.show();
  });
  void win.loadURL(`${APP_ORIGIN}/index.html${page ? `#/${page}` : ""}`);
  return win;
}
