import { parseDocument } from "yaml";
import { z } from "zod";
import { AppError } from "../../../shared/contract/errors";
import { durationMs } from "../../../shared/domain/policy/index";

/** What a notification is about (docs/notify.md). */
const NOTIFY_KINDS = ["decision", "review-due", "review-overdue", "window"] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "must be 1-40 lower-case letters, digits and dashes (it keys the sent-state)");
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,99}$/, "must be the NAME of an environment variable");
const duration = z
  .string()
  .max(20)
  .refine((d) => {
    const ms = durationMs(d);
    return Number.isFinite(ms) && ms >= 60_000 && ms <= 90 * 86_400_000;
  }, "must be a duration such as 30m, 12h or 2d (at least 1m, at most 90d)");
const httpUrl = z
  .string()
  .max(2000)
  .refine((u) => /^https?:\/\/[^\s/]+/i.test(u) && URL.canParse(u), "must be an http:// or https:// URL");
const kinds = z.array(z.enum(NOTIFY_KINDS)).min(1).max(NOTIFY_KINDS.length).optional();

// A webhook URL is a credential (Slack's and Teams' carry their token in the path): name an env var, or give it here.
const hook = { name, kinds, url: httpUrl.optional(), urlEnv: envName.optional() };
const oneUrl = (t: { url?: string; urlEnv?: string }) => (t.url === undefined) !== (t.urlEnv === undefined);
const oneUrlIssue = { message: "give exactly one of url or urlEnv", path: ["url"] };

const targetSchema = z.discriminatedUnion("type", [
  z
    .object({ type: z.literal("teams"), ...hook })
    .strict()
    .refine(oneUrl, oneUrlIssue),
  z
    .object({ type: z.literal("slack"), ...hook })
    .strict()
    .refine(oneUrl, oneUrlIssue),
  z
    .object({ type: z.literal("webhook"), ...hook, tokenEnv: envName.optional() })
    .strict()
    .refine(oneUrl, oneUrlIssue),
  z
    .object({
      type: z.literal("email"),
      name,
      kinds,
      host: z.string().min(1).max(253),
      port: z.number().int().min(1).max(65535),
      tls: z.enum(["starttls", "implicit", "none"]),
      from: z.string().min(3).max(320),
      user: z.string().min(1).max(320).optional(),
      // Never the password itself: the config file lives in the repository.
      passwordEnv: envName.optional(),
      // Extra addresses that get every item (e.g. the CAB mailbox), besides the people each item names.
      cc: z.array(z.string().email().max(320)).max(20).optional(),
    })
    .strict()
    .refine((t) => (t.user === undefined) === (t.passwordEnv === undefined), {
      message: "user and passwordEnv go together (an SMTP login needs both)",
      path: ["passwordEnv"],
    }),
]);

const configSchema = z
  .object({
    links: z.object({ browser: httpUrl }).strict(),
    reminders: z.object({ every: duration }).strict(),
    windows: z.object({ leadTime: duration }).strict(),
    targets: z.array(targetSchema).min(1).max(20),
  })
  .strict()
  .refine((c) => new Set(c.targets.map((t) => t.name)).size === c.targets.length, {
    message: "target names must be unique",
    path: ["targets"],
  });

export type NotifyConfig = z.infer<typeof configSchema>;
export type NotifyTarget = NotifyConfig["targets"][number];

/** Reads a notify config (YAML); every bad field is named in one `invalid-input` error. */
export function parseNotifyConfig(text: string, label: string): NotifyConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new AppError("invalid-input", `${label}${line ? ` line ${line}` : ""}: ${first.message.split("\n")[0]}`);
  }
  const parsed = configSchema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 20).map((i) => ({
    path: i.path.length ? i.path.map(String).join(".") : "(file)",
    message: i.message,
  }));
  throw new AppError(
    "invalid-input",
    `${label} is not a valid notify config: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}. See docs/notify.md.`,
    { issues },
  );
}

/** The secrets a target reads from the environment, checked before anything is sent. */
export function targetSecrets(
  target: NotifyTarget,
  env: Readonly<Record<string, string | undefined>>,
): { readonly url: string | null; readonly token: string | null; readonly password: string | null } {
  const read = (v: string | undefined, what: string) => {
    if (v === undefined) return null;
    const value = env[v];
    if (!value)
      throw new AppError(
        "invalid-input",
        `Target '${target.name}' reads its ${what} from the environment variable ${v}, which is not set. Set it in the CI job's secrets.`,
      );
    return value;
  };
  if (target.type === "email") return { url: null, token: null, password: read(target.passwordEnv, "SMTP password") };
  const url = target.url ?? read(target.urlEnv, "webhook URL");
  if (url !== null && !URL.canParse(url))
    throw new AppError("invalid-input", `Target '${target.name}': the webhook URL in ${target.urlEnv} is not a URL.`);
  return { url, token: target.type === "webhook" ? read(target.tokenEnv, "token") : null, password: null };
}
