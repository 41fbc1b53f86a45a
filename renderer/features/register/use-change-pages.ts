import { useQueries } from "@tanstack/react-query";
import { useMemo, useRef } from "react";
import type { ChangeSummary, MethodInput } from "../../../shared/contract/index";
import { useClient } from "../../api/client-context";

/** Rows per change.list call: a screenful or three, so scrolling asks the core rarely. */
const PAGE_SIZE = 100;

/** The rows of a virtualised list, fetched page by page as the visible range moves. */
interface ChangePages {
  /** Known total; the previous total while a new filter loads, so the list does not jump to empty. */
  readonly total: number;
  readonly loaded: boolean;
  readonly error: Error | null;
  rowAt(index: number): ChangeSummary | undefined;
}

/** Fetches the pages of `input` that cover rows [first, last] (and always page 1, which carries the total). */
export function useChangePages(
  input: Omit<MethodInput<"change.list">, "page" | "pageSize">,
  first: number,
  last: number,
  /** False for a query the page will not send (a contradictory one): no rows, no call. */
  enabled = true,
): ChangePages {
  const client = useClient();
  const lastTotal = useRef(0);
  const pages = useMemo(() => {
    const from = Math.floor(Math.max(0, first) / PAGE_SIZE) + 1;
    const to = Math.floor(Math.max(0, last) / PAGE_SIZE) + 1;
    const list = [1];
    for (let p = Math.max(2, from); p <= to; p++) list.push(p);
    return list;
  }, [first, last]);
  const results = useQueries({
    queries: pages.map((page) => {
      const call: MethodInput<"change.list"> = { ...input, page, pageSize: PAGE_SIZE };
      return {
        queryKey: ["change.list", call] as const,
        queryFn: () => client.call("change.list", call),
        staleTime: 5_000,
        enabled,
      };
    }),
  });
  const byPage = new Map<number, readonly ChangeSummary[]>();
  results.forEach((r, i) => {
    const page = pages[i];
    if (page !== undefined && r.data) byPage.set(page, r.data.items);
  });
  const head = results[0];
  if (!enabled) return { total: 0, loaded: true, error: null, rowAt: () => undefined };
  if (head?.data) lastTotal.current = head.data.total;
  return {
    total: head?.data?.total ?? lastTotal.current,
    loaded: Boolean(head?.data),
    error: results.find((r) => r.error)?.error ?? null,
    rowAt: (index) => byPage.get(Math.floor(index / PAGE_SIZE) + 1)?.[index % PAGE_SIZE],
  };
}
