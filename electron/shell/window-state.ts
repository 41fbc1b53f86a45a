// Window placement remembered between runs: pure functions, so the rules are tested under plain Node.

/** A rectangle in screen coordinates. */
interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What is remembered about the main window. */
export interface WindowState {
  readonly bounds: Rect;
  readonly maximized: boolean;
  readonly zoomFactor: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = {
  bounds: { x: 80, y: 60, width: 1400, height: 900 },
  maximized: false,
  zoomFactor: 1,
};

const MIN_WIDTH = 960;
const MIN_HEIGHT = 600;

/** Reads a saved state; anything malformed gives the default (a bad file never blocks start-up). */
export function parseWindowState(text: string | null): WindowState {
  if (!text) return DEFAULT_WINDOW_STATE;
  try {
    const raw = JSON.parse(text) as {
      bounds?: Partial<Record<keyof Rect, unknown>>;
      maximized?: unknown;
      zoomFactor?: unknown;
    };
    const b: Partial<Record<keyof Rect, unknown>> = raw.bounds ?? {};
    const finite = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n);
    if (!finite(b.x) || !finite(b.y) || !finite(b.width) || !finite(b.height)) return DEFAULT_WINDOW_STATE;
    const zoom = finite(raw.zoomFactor) ? Math.min(3, Math.max(0.5, raw.zoomFactor)) : 1;
    return {
      bounds: {
        x: Math.round(b.x),
        y: Math.round(b.y),
        width: Math.max(MIN_WIDTH, Math.round(b.width)),
        height: Math.max(MIN_HEIGHT, Math.round(b.height)),
      },
      maximized: raw.maximized === true,
      zoomFactor: zoom,
    };
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

/**
 * Fits saved bounds onto the displays present now: a window saved on a projector that is gone comes back
 * centred on the primary display instead of opening off-screen.
 */
export function fitToDisplays(bounds: Rect, workAreas: readonly Rect[]): Rect {
  const primary = workAreas[0];
  if (!primary) return bounds;
  const visible = workAreas.some(
    (area) =>
      overlap(bounds, area) >= 0.5 * Math.min(bounds.width * bounds.height, area.width * area.height) ||
      overlapTitleBar(bounds, area),
  );
  if (visible) return bounds;
  const width = Math.min(bounds.width, primary.width);
  const height = Math.min(bounds.height, primary.height);
  return {
    x: primary.x + Math.round((primary.width - width) / 2),
    y: primary.y + Math.round((primary.height - height) / 2),
    width,
    height,
  };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

// The title bar (top 40 px) must be reachable to move the window back.
function overlapTitleBar(a: Rect, area: Rect): boolean {
  return overlap({ x: a.x, y: a.y, width: a.width, height: 40 }, area) >= Math.min(200, a.width) * 40;
}
