import { parentPort, workerData } from "node:worker_threads";
import { type HostStart, serveCore } from "./host";
import type { FromCore } from "./protocol";

// The core's worker thread: the doors start it (worker/client.ts) and talk to it over parentPort only.
if (parentPort) {
  const port = parentPort;
  void serveCore(
    {
      postMessage: (message: FromCore) => port.postMessage(message),
      on: (event, listener) => port.on(event, listener),
      close: () => port.close(),
    },
    workerData as HostStart,
  );
}
