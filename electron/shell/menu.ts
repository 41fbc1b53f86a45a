import { app, type BrowserWindow, Menu } from "electron";
import { menuTemplate } from "./menu-template";

/** Installs the native menu; its items open app pages (the renderer routes on the location hash). */
export function installMenu(getWindow: () => BrowserWindow | null, confirmKubeconfig?: () => void): void {
  const go = (route: string) => {
    const win = getWindow();
    if (win) void win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(`#/${route}`)}`);
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({ platform: process.platform, packaged: app.isPackaged, go, confirmKubeconfig }),
    ),
  );
}
