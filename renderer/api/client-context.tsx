import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect } from "react";
import type { Client } from "./transport";

const ClientContext = createContext<Client | null>(null);

/** Provides the core client and refreshes queries when the core says data changed. */
export function ClientProvider({ client, children }: { readonly client: Client; readonly children: ReactNode }) {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      client.transport.on((event) => {
        if (event.event === "register.changed") void queryClient.invalidateQueries();
      }),
    [client, queryClient],
  );
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

/** The core client of the nearest provider. */
export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error("useClient outside ClientProvider");
  return client;
}
