import { readlinkSync } from "node:fs";
import { constants, setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { type HostStart, serveCore } from "./host";
import type { FromCore } from "./protocol";

// The core's worker thread: the doors start it (worker/client.ts) and talk to it over parentPort only.
lowerThisThreadsPriority();
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

// On a busy machine the window's thread must win the processor over a long call: on Linux a thread has its own
// nice value (and the threads it starts, such as the audit verify's hashers, inherit it), so the core's thread
// asks for a lower priority. Elsewhere /proc/thread-self does not exist and the thread keeps the process's.
// A nice value only orders the threads within one scheduling group (with Linux's autogroup, a session), though: the
// group's share is charged for all of them, so the longest call, the audit verify, runs in a process of its own in
// a session of its own (register/audit-apart.ts).
function lowerThisThreadsPriority(): void {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not Linux, or not allowed: the core runs at the process's priority, as before.
  }
}
