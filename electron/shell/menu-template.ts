import type { MenuItemConstructorOptions } from "electron";
import { PAGES } from "../../shared/domain/app/pages";

/** What the menu depends on: the OS, whether this is an installed build, and how to open a route. */
interface MenuOptions {
  readonly platform: NodeJS.Platform;
  readonly packaged: boolean;
  readonly go: (route: string) => void;
  /** Opens the native dialogs that allow a kubeconfig's login programs (kubeconfig-confirm.ts). */
  readonly confirmKubeconfig?: () => void;
}

/**
 * The native menu. Pages carry the same Alt+digit shortcuts as the navigation in the window (and in the
 * browser), so Ctrl/Cmd+digit stay free for the standard zoom roles. Reload and developer tools are only in
 * development builds: an installed app has nothing to debug and a reload would drop unsaved form input.
 */
export function menuTemplate({ platform, packaged, go, confirmKubeconfig }: MenuOptions): MenuItemConstructorOptions[] {
  const dev: MenuItemConstructorOptions[] = packaged
    ? []
    : [{ role: "reload" }, { role: "forceReload" }, { role: "toggleDevTools" }, { type: "separator" }];
  return [
    ...(platform === "darwin" ? [{ role: "appMenu" as const }] : []),
    { role: "fileMenu" },
    { role: "editMenu" },
    {
      label: "Go",
      submenu: [
        { label: "New change", accelerator: "CmdOrCtrl+N", click: () => go("register/new") },
        { label: "Search changes", accelerator: "CmdOrCtrl+K", click: () => go("register?search=1") },
        { type: "separator" },
        ...PAGES.map((p) => ({ label: p.label, accelerator: `Alt+${p.key}`, click: () => go(p.id) })),
        // Native dialogs only: a page can never allow a program to run (docs: README, kubeconfigs).
        ...(confirmKubeconfig
          ? [
              { type: "separator" as const },
              { label: "Allow a Kubeconfig's Login Programs…", click: () => confirmKubeconfig() },
            ]
          : []),
      ],
    },
    {
      label: "View",
      submenu: [
        ...dev,
        { role: "resetZoom" },
        { role: "zoomIn" },
        { role: "zoomOut" },
        { type: "separator" },
        { role: "togglefullscreen" },
      ],
    },
    { role: "windowMenu" },
  ];
}
