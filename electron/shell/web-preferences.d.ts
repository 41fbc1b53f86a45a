// Electron removed the remote module in v14 and `enableRemoteModule` from its types with it. The main window
// still states it off: a reviewer or scanner reading the options without knowing the Electron version
// (electronegativity then assumes the oldest defaults, where remote was on) sees it off, and running on an old
// Electron by mistake could not turn it on silently.
declare namespace Electron {
  interface WebPreferences {
    /** Always false: the renderer never gets the remote module. */
    enableRemoteModule?: false;
  }
}
