import type { NotifyItem, Recipient } from "./items";

/** The two ways to open the change: the desktop app's protocol and the browser door's page. */
export interface DeepLinks {
  readonly desktop: string;
  readonly browser: string;
}

/** `shiftgate://change/<ID>` and `<browser base>#/register/<ID>` (the register resolves a change number). */
export function deepLinks(change: string, browserBase: string): DeepLinks {
  const base = browserBase.replace(/\/+$/, "");
  const id = encodeURIComponent(change);
  return { desktop: `shiftgate://change/${id}`, browser: `${base}/#/register/${id}` };
}

const HEADLINE = {
  decision: "Decision waiting",
  "review-due": "Retrospective review due",
  "review-overdue": "Retrospective review OVERDUE",
  window: "Change window starting soon",
} as const;

/** The subject line of an item: what it is and which change. */
export function subjectOf(item: NotifyItem): string {
  return `[Shiftgate] ${HEADLINE[item.kind]}: ${item.change} ${item.title}`;
}

function names(people: readonly Recipient[]): string {
  return people.map((p) => p.name).join(", ");
}

/** Plain text for e-mail and chat fallbacks. */
export function textOf(item: NotifyItem, links: DeepLinks, reminder: boolean): string {
  return [
    `${reminder ? "Reminder: " : ""}${item.summary}`,
    `Waiting on: ${names(item.recipients)}`,
    "",
    `Open in the desktop app: ${links.desktop}`,
    `Open in the browser: ${links.browser}`,
  ].join("\n");
}

// Slack reads <…> as links and mentions (`<!channel>`): a change title must not ping a channel or fake a link.
function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Slack incoming webhook body (mrkdwn text; Slack shows `<url|label>` as a link). */
export function slackBody(item: NotifyItem, links: DeepLinks, reminder: boolean): unknown {
  const text = `${reminder ? "Reminder: " : ""}*${HEADLINE[item.kind]}* ${item.change} ${item.title}\n${item.summary}\nWaiting on: ${names(item.recipients)}`;
  return {
    text: `${slackEscape(text)}\n<${links.desktop}|Open in Shiftgate> · <${links.browser}|Open in the browser>`,
  };
}

/**
 * Teams body: a message with one Adaptive Card, the shape both a Teams workflow ("when a Teams webhook request is
 * received") and a classic incoming webhook accept.
 */
export function teamsBody(item: NotifyItem, links: DeepLinks, reminder: boolean): unknown {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            {
              type: "TextBlock",
              size: "Medium",
              weight: "Bolder",
              wrap: true,
              text: `${reminder ? "Reminder: " : ""}${HEADLINE[item.kind]}: ${item.change}`,
            },
            { type: "TextBlock", wrap: true, text: item.title },
            { type: "TextBlock", wrap: true, text: item.summary },
            { type: "TextBlock", wrap: true, isSubtle: true, text: `Waiting on: ${names(item.recipients)}` },
          ],
          actions: [
            { type: "Action.OpenUrl", title: "Open in Shiftgate", url: links.desktop },
            { type: "Action.OpenUrl", title: "Open in the browser", url: links.browser },
          ],
        },
      },
    ],
  };
}

/** The generic webhook body: the item as data, for any receiver to route. */
export function webhookBody(item: NotifyItem, links: DeepLinks, reminder: boolean, at: Date): unknown {
  return {
    event: "shiftgate.notify",
    sentAt: at.toISOString(),
    reminder,
    key: item.key,
    kind: item.kind,
    change: item.change,
    title: item.title,
    summary: item.summary,
    due: item.due,
    recipients: item.recipients,
    links,
  };
}
