import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useMemo } from "react";
import { createInvalidator, type Invalidator } from "./invalidation";
import type { Client } from "./transport";

const ClientContext = createContext<{ readonly client: Client; readonly invalidator: Invalidator } | null>(null);

/** Provides the core client and refreshes the queries an event names when the core says data changed. */
export function ClientProvider({ client, children }: { readonly client: Client; readonly children: ReactNode }) {
  const queryClient = useQueryClient();
  const invalidator = useMemo(() => createInvalidator(queryClient), [queryClient]);
  useEffect(() => client.transport.on((event) => void invalidator.apply([event])), [client, invalidator]);
  const value = useMemo(() => ({ client, invalidator }), [client, invalidator]);
  return <ClientContext.Provider value={value}>{children}</ClientContext.Provider>;
}

/** The core client of the nearest provider. */
export function useClient(): Client {
  return useProvided().client;
}

/** The provider's invalidator: the one place queries are refreshed after a write. */
export function useInvalidator(): Invalidator {
  return useProvided().invalidator;
}

function useProvided() {
  const provided = useContext(ClientContext);
  if (!provided) throw new Error("useClient outside ClientProvider");
  return provided;
}
