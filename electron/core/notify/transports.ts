import type { Transporter } from "nodemailer";
import type { NotifyTarget } from "./config";
import type { NotifyItem, Recipient } from "./items";
import { type DeepLinks, slackBody, subjectOf, teamsBody, textOf, webhookBody } from "./messages";

/** One message to one target: the item, and for e-mail the person it goes to. */
export interface Delivery {
  readonly target: NotifyTarget;
  readonly item: NotifyItem;
  readonly to: Recipient | null;
  readonly links: DeepLinks;
  readonly reminder: boolean;
}

/** Sends deliveries; a failure throws an Error whose message says what the target answered. */
export interface Sender {
  send(delivery: Delivery, at: Date): Promise<void>;
  close(): void;
}

/** Secrets per target name, read from the environment before anything is sent (config.ts targetSecrets). */
type TargetSecrets = ReadonlyMap<
  string,
  { readonly url: string | null; readonly token: string | null; readonly password: string | null }
>;

const TIMEOUT_MS = 15_000;

/** The real sender: HTTPS webhooks through fetch, e-mail through nodemailer's SMTP transport (one per target). */
export function createSender(secrets: TargetSecrets): Sender {
  const mailers = new Map<string, Transporter>();
  const mailer = async (target: Extract<NotifyTarget, { type: "email" }>) => {
    let m = mailers.get(target.name);
    if (!m) {
      const password = secrets.get(target.name)?.password ?? null;
      // Loaded on the first e-mail: every CLI command (a CI job's `gitops verify`) would otherwise pay for it at start.
      const { createTransport } = await import("nodemailer");
      m = createTransport({
        host: target.host,
        port: target.port,
        secure: target.tls === "implicit",
        requireTLS: target.tls === "starttls",
        ignoreTLS: target.tls === "none",
        auth: target.user && password ? { user: target.user, pass: password } : undefined,
        connectionTimeout: TIMEOUT_MS,
        greetingTimeout: TIMEOUT_MS,
        socketTimeout: TIMEOUT_MS,
      });
      mailers.set(target.name, m);
    }
    return m;
  };
  return {
    send: async (d, at) => {
      const { target } = d;
      if (target.type === "email") {
        if (!d.to) throw new Error("an e-mail needs a recipient");
        await (await mailer(target)).sendMail({
          from: target.from,
          // An address object: nodemailer encodes the name, so nothing in it can add a header.
          to: { name: d.to.name, address: d.to.email },
          cc: target.cc,
          subject: `${d.reminder ? "Reminder: " : ""}${subjectOf(d.item)}`,
          text: textOf(d.item, d.links, d.reminder),
        });
        return;
      }
      const body =
        target.type === "slack"
          ? slackBody(d.item, d.links, d.reminder)
          : target.type === "teams"
            ? teamsBody(d.item, d.links, d.reminder)
            : webhookBody(d.item, d.links, d.reminder, at);
      const secret = secrets.get(target.name);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (secret?.token) headers.authorization = `Bearer ${secret.token}`;
      const response = await fetch(secret?.url ?? "", {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: "error",
      });
      if (!response.ok) {
        const text = (await response.text().catch(() => "")).slice(0, 200).replace(/\s+/g, " ");
        throw new Error(`the webhook answered HTTP ${response.status}${text ? `: ${text}` : ""}`);
      }
    },
    close: () => {
      for (const m of mailers.values()) m.close();
    },
  };
}
