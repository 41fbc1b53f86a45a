import { type BrowserWindow, Menu, type MenuItemConstructorOptions } from "electron";

/** The native menu: app pages by shortcut (the renderer routes on the location hash). */
export function installMenu(getWindow: () => BrowserWindow | null): void {
  const go = (id: string) => () => {
    const win = getWindow();
    if (win) void win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(`#/${id}`)}`);
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === "darwin" ? [{ role: "appMenu" as const }] : []),
    { role: "fileMenu" },
    { role: "editMenu" },
    {
      label: "Go",
      submenu: [
        { label: "New change", accelerator: "CmdOrCtrl+N", click: go("register/new") },
        { label: "Search changes", accelerator: "CmdOrCtrl+K", click: go("register?search=1") },
        { type: "separator" },
        { label: "Home", accelerator: "CmdOrCtrl+H", click: go("home") },
        { label: "Register", accelerator: "CmdOrCtrl+1", click: go("register") },
        { label: "Calendar", accelerator: "CmdOrCtrl+2", click: go("calendar") },
        { label: "Approvals", accelerator: "CmdOrCtrl+3", click: go("approvals") },
        { label: "Exceptions", accelerator: "CmdOrCtrl+4", click: go("exceptions") },
        { label: "Cluster", accelerator: "CmdOrCtrl+5", click: go("cluster") },
        { label: "CAB meeting mode", accelerator: "CmdOrCtrl+6", click: go("meeting") },
        { label: "Status", accelerator: "CmdOrCtrl+0", click: go("status") },
      ],
    },
    { role: "viewMenu" },
    { role: "windowMenu" },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
