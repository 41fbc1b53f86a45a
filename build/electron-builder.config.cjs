// electron-builder configuration: installers for Linux (AppImage, deb), Windows (NSIS) and macOS (dmg).
// Packaging rebuilds better-sqlite3 for Electron's ABI (npmRebuild) and unpacks it from the ASAR, and
// flips Electron's fuses so the shipped binary cannot be used as a plain Node runtime.
/** @type {import('electron-builder').Configuration} */
const config = {
  appId: "example.shiftgate.app",
  productName: "Shiftgate",
  // shiftgate://change/<CHG-ID>: the links `shiftgate gitops notify` sends open the change in the app (electron/shell/deep-link.ts).
  protocols: [{ name: "Shiftgate change", schemes: ["shiftgate"] }],
  copyright: "Copyright © 2026 Shiftgate",
  directories: { output: "dist", buildResources: "build" },
  files: [
    "out/**/*",
    "package.json",
    "!**/*.map",
    // The report fonts ship every weight (~53 MB); the PDFs use regular and bold only (electron/core/reports/fonts.ts).
    "!**/node_modules/@embedpdf/fonts-latin/fonts/!(NotoSans-Regular.ttf|NotoSans-Bold.ttf)",
    "!**/node_modules/@embedpdf/fonts-sc/fonts/!(NotoSansHans-Regular.otf|NotoSansHans-Bold.otf)",
  ],
  asar: true,
  asarUnpack: ["**/node_modules/better-sqlite3/**/*.node", "**/node_modules/better-sqlite3/build/Release/*"],
  npmRebuild: true,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  linux: {
    target: ["AppImage", "deb"],
    category: "Office",
    icon: "build/icons",
    maintainer: "Shiftgate <support@shiftgate.example>",
    synopsis: "Change advisory board for Odoo on Kubernetes with GitOps",
  },
  deb: { depends: ["git", "openssh-client"] },
  win: { target: ["nsis"], icon: "build/icon.png" },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: { target: ["dmg"], category: "public.app-category.business", icon: "build/icon.png", hardenedRuntime: true },
  dmg: { sign: false },
};

module.exports = config;
