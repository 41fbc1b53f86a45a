// A test API server in its own process, for tests that run the real `shiftgate` binary with spawnSync
// (which blocks the test process, so an in-process server could not answer). Prints its URL and token as one
// JSON line, seeds a small Odoo estate, and closes the server when its standard input closes: with no socket
// left open, the process then ends by itself.
import { argoApplication, odooDeployment } from "./kube-fixtures";
import { startKubeServer } from "./kube-server";

const server = await startKubeServer();
server.store.put("deployments", odooDeployment({ namespace: "odoo-prod", name: "odoo-web", image: "reg/odoo:17.0-5" }));
server.store.put("applications", argoApplication({ name: "odoo-prod", destinationNamespace: "odoo-prod" }));
process.stdout.write(`${JSON.stringify({ url: server.url, token: server.token })}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  void server.close();
});
