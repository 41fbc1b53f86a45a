import { contextBridge, ipcRenderer } from "electron";

// The whole API the renderer gets: call a contract method, listen to events. Channel names stay here.
contextBridge.exposeInMainWorld("shiftgate", {
  call: (method: string, input: unknown) => ipcRenderer.invoke("shiftgate:call", method, input),
  on: (listener: (event: unknown) => void) => {
    const wrapped = (_e: unknown, envelope: unknown) => listener(envelope);
    ipcRenderer.on("shiftgate:event", wrapped);
    return () => {
      ipcRenderer.removeListener("shiftgate:event", wrapped);
    };
  },
});
