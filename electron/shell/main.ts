import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { app, type BrowserWindow, dialog, nativeTheme, screen, session, type WebContents } from "electron";
import { systemClock } from "../core/clock";
import { applyPendingConnection } from "../core/gitops/connect";
import { type CoreClient, startCoreWorker } from "../core/worker/client";
import { withAppCsp } from "./csp";
import { changeFromArgv, changeFromDeepLink, DEEP_LINK_SCHEME, deepLinkRoute } from "./deep-link";
import { decidePermission, isAllowedNavigation } from "./guards";
import { registerIpc } from "./ipc";
import { type ConfirmDialogs, confirmKubeconfigFromDialog } from "./kubeconfig-confirm";
import { parseLaunchArgs, secondInstanceAction } from "./launch-args";
import { installMenu } from "./menu";
import { startNotifier } from "./notifications";
import { safeStorageKeyStore } from "./odoo-key-store";
import { registerAppScheme, serveAppProtocol } from "./protocol";
import { createMainWindow } from "./window";
import { fitToDisplays, parseWindowState, type WindowState } from "./window-state";

// Composition root of the desktop app: the only place that builds the core for Electron.
const here = fileURLToPath(new URL(".", import.meta.url));
const outDir = join(here, "..");
const launch = parseLaunchArgs(process.argv);
let mainWindow: BrowserWindow | null = null;
// The core runs in a worker thread: this (main) process only forwards the contract's calls and events to it, so a
// long call never stops the windows, menus and dialogs from answering.
let core: CoreClient | null = null;
// A change a shiftgate:// link asked for before the window was ready.
let pendingChange: string | null = changeFromArgv(process.argv);

// A second profile: its own register, GitOps working copy, settings and single-instance lock.
if (launch.userDataDir) app.setPath("userData", launch.userDataDir);
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerDeepLinks();
  app.on("second-instance", (_event, argv) => {
    const action = secondInstanceAction(argv);
    const change = changeFromArgv(argv);
    if (change) return openChange(change);
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    if (action.page)
      void mainWindow.webContents.executeJavaScript(`location.hash = ${JSON.stringify(`#/${action.page}`)}`);
  });
  app.on("web-contents-created", (_event, contents) => {
    contents.on("will-attach-webview", (e) => e.preventDefault());
    contents.on("will-navigate", (e, url) => {
      if (!isAllowedNavigation(url)) e.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: "deny" }));
  });
  app.whenReady().then(start, (error: unknown) => {
    console.error("Shiftgate could not start:", error);
    app.exit(1);
  });
  app.on("window-all-closed", () => app.quit());
  app.on("will-quit", (event) => {
    const running = core;
    if (!running) return;
    // Quit waits for the core to stop its timers and watches and close the register, then goes on.
    core = null;
    event.preventDefault();
    void running.close().finally(() => app.quit());
  });
}

// `shiftgate://change/<CHG-ID>` (the links gitops notify sends) opens that change: macOS delivers it as open-url,
// Windows and Linux as an argument of a second launch (second-instance) or of the first one (pendingChange).
function registerDeepLinks(): void {
  // Only the installed app claims the scheme: a development run or an end-to-end test would otherwise make the
  // machine's links open a throwaway build (`SHIFTGATE_DEV_PROTOCOL=1` claims it for a dev run, with its entry script).
  const dev = !app.isPackaged && process.env.SHIFTGATE_DEV_PROTOCOL === "1";
  const appArgs = dev && process.argv[1] ? [resolve(process.argv[1])] : [];
  if (app.isPackaged || dev) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, appArgs); // eng-disable PROTOCOL_HANDLER_JS_CHECK
  app.on("open-url", (event, url) => {
    event.preventDefault();
    const change = changeFromDeepLink(url);
    if (change) openChange(change);
  });
}

function openChange(change: string): void {
  const win = mainWindow;
  if (!win || win.webContents.isLoading()) {
    pendingChange = change;
    return;
  }
  if (win.isMinimized()) win.restore();
  win.focus();
  void win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(deepLinkRoute(change))}`);
}

function stateFile(): string {
  return join(app.getPath("userData"), "window-state.json");
}

function loadWindowState(): WindowState {
  let text: string | null = null;
  try {
    text = readFileSync(stateFile(), "utf8");
  } catch {
    // first start: defaults
  }
  const state = parseWindowState(text);
  const areas = screen.getAllDisplays().map((d) => d.workArea);
  const primary = screen.getPrimaryDisplay().workArea;
  return { ...state, bounds: fitToDisplays(state.bounds, [primary, ...areas]) };
}

function saveWindowState(win: BrowserWindow): void {
  const state: WindowState = {
    bounds: win.getNormalBounds(),
    maximized: win.isMaximized(),
    zoomFactor: win.webContents.getZoomFactor(),
  };
  try {
    writeFileSync(stateFile(), JSON.stringify(state));
  } catch {
    // losing the window position is not worth an error dialog
  }
}

async function start(): Promise<void> {
  nativeTheme.themeSource = "system";
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(decidePermission(permission, details.requestingUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_wc, permission, origin) => decidePermission(permission, origin));
  session.defaultSession.webRequest.onHeadersReceived(withAppCsp);
  serveAppProtocol(join(outDir, "renderer"));
  // A repository joined in the last run takes over before the register opens (the old one is archived).
  // When it cannot (a file in use), the app opens as before and tries again at the next start.
  await applyPendingConnection(app.getPath("userData"), systemClock).catch((error: unknown) =>
    console.error("Joining the confirmed GitOps repository failed", error),
  );
  const nativeBinding = app.isPackaged ? undefined : process.env.SHIFTGATE_NATIVE_BINDING;
  core = await startCoreWorker({
    core: {
      dataDir: app.getPath("userData"),
      appVersion: app.getVersion(),
      migrationsDir: join(here, "register", "migrations"),
      // `npm start` points this at a better-sqlite3 built for Electron's ABI; packaged apps are rebuilt in place.
      ...(nativeBinding ? { nativeBinding } : {}),
      // First-run demo and outbox recovery, auto-sync, scheduled checks and the sync-window republish: the core's
      // own lifecycle starts them and its close() stops them.
      background: true,
    },
    // The desktop keeps Odoo API keys encrypted by the OS keychain (the CLI and browser door use 0600 files); the
    // keychain is reached from this process only, so the core asks it over the worker's key bridge.
    keyStore: safeStorageKeyStore(app.getPath("userData")),
  });
  const windows = (): ReadonlySet<WebContents> =>
    new Set(mainWindow && !mainWindow.isDestroyed() ? [mainWindow.webContents] : []);
  registerIpc(core, windows);
  const running = core;
  installMenu(
    () => mainWindow,
    () =>
      void confirmKubeconfigFromDialog(running, nativeDialogs()).catch((error: unknown) =>
        console.error("Allowing a kubeconfig's programs failed", error),
      ),
  );
  const win = createMainWindow(join(outDir, "preload"), loadWindowState(), launch.page);
  mainWindow = win;
  win.webContents.on("did-finish-load", () => {
    const change = pendingChange;
    pendingChange = null;
    if (change) openChange(change);
  });
  const stopNotifier = startNotifier(core, () => mainWindow);
  win.on("close", () => saveWindowState(win));
  app.on("will-quit", stopNotifier);
  win.on("closed", () => {
    mainWindow = null;
  });
}

// Electron's own dialogs for kubeconfig-confirm.ts: the file and the answer come from the OS, not the renderer.
function nativeDialogs(): ConfirmDialogs {
  const parent = () => mainWindow ?? undefined;
  const messageBox = (o: Electron.MessageBoxOptions) => {
    const win = parent();
    return win ? dialog.showMessageBox(win, o) : dialog.showMessageBox(o);
  };
  return {
    chooseFile: async () => {
      const o: Electron.OpenDialogOptions = {
        title: "Choose the kubeconfig",
        properties: ["openFile", "showHiddenFiles"],
      };
      const win = parent();
      const result = await (win ? dialog.showOpenDialog(win, o) : dialog.showOpenDialog(o));
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    confirm: async (q) => {
      const answer = await messageBox({
        type: "warning",
        buttons: ["Cancel", "Allow these programs"],
        defaultId: 0,
        cancelId: 0,
        title: "Allow login programs",
        message: `This kubeconfig logs in by running:\n${q.programs.join("\n")}`,
        detail: `${q.path}\nSHA-256 ${q.sha256}\nAllow only programs you expect. Shiftgate asks again when the file changes.`,
      });
      return answer.response === 1;
    },
    inform: async (message) => {
      await messageBox({ type: "info", buttons: ["OK"], message });
    },
  };
}
