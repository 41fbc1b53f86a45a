import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** One e-mail the sink accepted: envelope and raw message. */
export interface SunkMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly user: string | null;
  readonly raw: string;
}

/** A local SMTP server that keeps every message (plain SMTP with an optional login, on 127.0.0.1). */
export async function startSmtpSink(login?: { user: string; pass: string }): Promise<{
  readonly port: number;
  readonly mails: SunkMail[];
  close(): Promise<void>;
}> {
  const mails: SunkMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: !login,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, done) {
      if (login && auth.username === login.user && auth.password === login.pass)
        return done(null, { user: auth.username });
      return done(new Error("Invalid username or password"));
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === "string" ? session.user : null,
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        done();
      });
    },
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

/** One request the webhook receiver took. */
export interface Hooked {
  readonly path: string;
  readonly authorization: string | null;
  readonly body: Record<string, unknown>;
}

/** A local HTTP webhook receiver; `refuse` holds the paths that answer 500 (a target that is down). */
export async function startWebhookReceiver(): Promise<{
  readonly url: string;
  readonly received: Hooked[];
  readonly refuse: Set<string>;
  close(): Promise<void>;
}> {
  const received: Hooked[] = [];
  const refuse = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      if (refuse.has(path)) {
        res.writeHead(500, { "content-type": "text/plain" }).end("receiver is down for maintenance");
        return;
      }
      received.push({
        path,
        authorization: req.headers.authorization ?? null,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
      });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    refuse,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
