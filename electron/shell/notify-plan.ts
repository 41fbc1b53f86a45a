// What the desktop notifier shows: pure, so the choice and wording are unit-tested without Electron.

/** The part of a home item the notifier needs. */
export interface NotifiableItem {
  readonly key: string;
  readonly title: string;
  readonly detail: string;
  readonly severity: "info" | "warning" | "critical";
  readonly route: string;
}

/** One OS notification to show. */
interface PlannedNotification {
  readonly title: string;
  readonly body: string;
  readonly route: string;
  readonly urgent: boolean;
}

const MAX_SINGLE = 3;

/** A hash route the window may be sent to, or the home page when the item's route looks wrong. */
export function safeRoute(route: string): string {
  return /^#\/[a-z-]+(?:[/?][\w\-./?=&%]*)?$/i.test(route) ? route : "#/home";
}

/**
 * Turns new home items into notifications: one each for up to three, else a single summary, so a
 * laptop back from a weekend is not buried under forty banners.
 */
export function planNotifications(items: readonly NotifiableItem[]): PlannedNotification[] {
  if (items.length === 0) return [];
  if (items.length <= MAX_SINGLE) {
    return items.map((item) => ({
      title: item.title,
      body: item.detail,
      route: safeRoute(item.route),
      urgent: item.severity === "critical",
    }));
  }
  const critical = items.filter((i) => i.severity === "critical").length;
  return [
    {
      title: `Shiftgate: ${items.length} items need you`,
      body:
        critical > 0
          ? `${critical} urgent, including: ${items[0]?.title ?? ""}`
          : `Including: ${items[0]?.title ?? ""}`,
      route: "#/home",
      urgent: critical > 0,
    },
  ];
}
