import { describe, expect, it } from "vitest";
import { capabilityFiles, runtimeImports } from "../helpers/source-graph";

// Issue #20 item 3: capabilities call each other's functions in one direction. This builds the graph of run-time
// imports between electron/core/<capability>/ folders (type-only imports are erased and link nothing) and finds
// every edge that closes a cycle. The approvals ↔ gitops cycle is gone (gitops takes what other capabilities read
// from the ledger as functions handed in by the composition root; change.yaml's format moved to gitops); identity
// and exceptions left approvals without a cycle between the three.
//
// The edges below still close cycles through the register and gitops, which every capability also uses as its
// storage and git plumbing. They are listed so that no NEW cycle can appear; the list may only shrink (an entry
// that no longer closes a cycle fails the test until it is removed).
// The register reaches back into calendar (known plants, blackouts), cluster (snapshot check), exceptions (an
// emergency's break-glass lifts the window rules; the demo seed), gitops (publishing gates and assessments),
// identity (the signer of those) and odoo (the gate guard); gitops and identity use each other (signing keys vs.
// the trust a repository grants them). Every capability that uses the register or gitops is therefore on a cycle.
const KNOWN_CYCLE_EDGES: readonly string[] = [
  "approvals -> calendar",
  "approvals -> gitops",
  "approvals -> identity",
  "approvals -> register",
  "calendar -> register",
  "cluster -> gitops",
  "cluster -> register",
  "exceptions -> approvals",
  "exceptions -> gitops",
  "exceptions -> identity",
  "exceptions -> register",
  "gitops -> calendar",
  "gitops -> cluster",
  "gitops -> identity",
  "gitops -> register",
  "identity -> gitops",
  "identity -> register",
  "odoo -> register",
  "register -> calendar",
  "register -> cluster",
  "register -> exceptions",
  "register -> gitops",
  "register -> identity",
  "register -> odoo",
];

type Graph = Map<string, Set<string>>;

function importGraph(): { readonly graph: Graph; readonly evidence: Map<string, string[]> } {
  const graph: Graph = new Map();
  const evidence = new Map<string, string[]>();
  for (const file of capabilityFiles()) {
    if (!graph.has(file.capability)) graph.set(file.capability, new Set());
    for (const { capability, spec } of runtimeImports(file)) {
      graph.get(file.capability)?.add(capability);
      const edge = `${file.capability} -> ${capability}`;
      evidence.set(edge, [...(evidence.get(edge) ?? []), `${file.path}: ${spec}`]);
    }
  }
  return { graph, evidence };
}

/** Tarjan's strongly connected components: capabilities that reach each other form one component. */
function components(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** Every import edge whose two ends reach each other: the edges that close a cycle. */
function cycleEdges(graph: Graph): string[] {
  const componentOf = new Map<string, number>();
  components(graph).forEach((c, i) => {
    for (const v of c) componentOf.set(v, i);
  });
  const edges: string[] = [];
  for (const [from, tos] of graph)
    for (const to of tos) if (componentOf.get(from) === componentOf.get(to)) edges.push(`${from} -> ${to}`);
  return edges.sort();
}

describe("capabilities import each other in one direction", () => {
  const { graph, evidence } = importGraph();
  const inCycles = cycleEdges(graph);

  it("finds the cycle a two-way import makes (the check itself works)", () => {
    const probe: Graph = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a"])],
      ["d", new Set(["a"])],
    ]);
    expect(cycleEdges(probe)).toEqual(["a -> b", "b -> c", "c -> a"]);
  });

  it("no import closes a new cycle between capability folders", () => {
    const fresh = inCycles.filter((e) => !KNOWN_CYCLE_EDGES.includes(e));
    expect(fresh.map((e) => `${e}\n    ${(evidence.get(e) ?? []).join("\n    ")}`)).toEqual([]);
  });

  it("the known cycle edges only shrink: an edge that no longer closes a cycle leaves the list", () => {
    expect(KNOWN_CYCLE_EDGES.filter((e) => !inCycles.includes(e))).toEqual([]);
  });

  it("approvals, identity and exceptions: no two of them import each other, and gitops imports none of approvals", () => {
    const both = (a: string, b: string) => graph.get(a)?.has(b) && graph.get(b)?.has(a);
    const trio = ["approvals", "identity", "exceptions"];
    const pairs = trio.flatMap((a) => trio.filter((b) => a < b && both(a, b)).map((b) => `${a} <-> ${b}`));
    expect(pairs).toEqual([]);
    expect(graph.get("gitops")?.has("approvals")).toBe(false);
  });

  it("no core code switches the laptop's identity to act for someone else (only identity's own handler names identity.use)", () => {
    // A CAB meeting once selected the attendee's key through identity.use and switched back; it signs with decideAs now.
    const switching = capabilityFiles()
      .filter((f) => f.path !== "electron/core/identity/handlers.ts" && /["'`]identity\.use["'`]/.test(f.text))
      .map((f) => f.path);
    expect(switching).toEqual([]);
  });
});
