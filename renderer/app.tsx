import { useEffect, useState } from "react";
import { usePageKeys } from "./components/page-keys";
import { SyncStatusBar } from "./features/gitops/sync-status";
import { CommandPalette } from "./features/palette/command-palette";
import { type RouteDef, routeFromHash, routes } from "./routes";

function useRoute(): RouteDef {
  const [route, setRoute] = useState(() => routeFromHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(routeFromHash(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

/** The app frame: navigation on the left (Alt+digit shortcuts), the current page on the right. */
export function App() {
  const route = useRoute();
  usePageKeys("frame", (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const target = routes.find((r) => r.key === e.key);
    if (target) {
      e.preventDefault();
      window.location.hash = `#/${target.id}`;
    }
  });
  return (
    <div className="frame">
      <nav className="nav" aria-label="Main">
        <div className="brand">Shiftgate</div>
        <CommandPalette />
        <ul>
          {routes.map((r) => (
            <li key={r.id}>
              <a
                href={`#/${r.id}`}
                aria-current={r.id === route.id ? "page" : undefined}
                aria-keyshortcuts={`Alt+${r.key}`}
                title={`Alt+${r.key}`}
              >
                {r.label}
              </a>
            </li>
          ))}
        </ul>
        <SyncStatusBar />
      </nav>
      <main className="content">{route.render()}</main>
    </div>
  );
}
