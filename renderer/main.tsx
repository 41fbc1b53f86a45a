import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ClientProvider } from "./api/client-context";
import { createClient, createTransport } from "./api/transport";
import { App } from "./app";
import { loadLocale } from "./features/calendar/format-time";
import "./styles/app.css";

const client = createClient(createTransport(window));
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });
// Dates read in the viewer's language from the first render: only that language's date-fns locale loads.
await loadLocale(navigator.language || Intl.DateTimeFormat().resolvedOptions().locale);
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <ClientProvider client={client}>
          <App />
        </ClientProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
