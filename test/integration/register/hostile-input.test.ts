import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import {
  type ChangeDetail,
  type ChangeSummary,
  ERROR_CODES,
  type ListPage,
  type RegisterMethodName,
} from "../../../shared/contract/index";
import { rng } from "../../helpers/fuzz";
import { tempCore } from "../../helpers/temp";
import { call, contentHash, lowRiskAnswers, newChange } from "./register-fixtures";

const PAYLOADS = 12_000;

let core: Core;
let cleanup: () => void;
let closed: ChangeDetail;
let qaChange: ChangeDetail;
let evidenceId: string;
beforeAll(async () => {
  ({ core, cleanup } = await tempCore());
  const page = await call<ListPage<ChangeSummary>>(core, "change.list", { status: ["closed"], pageSize: 1 });
  closed = await call<ChangeDetail>(core, "change.get", { id: page.items[0]?.id });
  qaChange = await call<ChangeDetail>(core, "change.create", newChange({ environment: "qa" }));
  const withEvidence = await call<ListPage<ChangeSummary>>(core, "change.list", { status: ["scheduled"] });
  const detail = await call<ChangeDetail>(core, "change.get", { id: withEvidence.items[0]?.id });
  evidenceId = detail.evidence[0]?.id ?? "";
});
afterAll(() => cleanup());

type Obj = Record<string, unknown>;

function valid(method: RegisterMethodName): Obj {
  const id = closed.id;
  switch (method) {
    case "change.create":
      return newChange();
    case "change.createMany":
      return { changes: [newChange(), newChange()] };
    case "change.update":
      return { id, patch: { title: "Renamed" } };
    case "change.get":
      return { id };
    case "change.list":
      return { status: ["draft"], q: "mrp", sort: { field: "title", dir: "asc" } };
    case "change.transition":
      return { id, to: "submitted", reason: "x" };
    case "change.promote":
      return { id, to: "integration" };
    case "change.delete":
      return { id, reason: "x" };
    case "change.comment":
      return { id, body: "hello" };
    case "risk.questionnaire":
    case "standard.templates":
      return {};
    case "risk.assess":
      return { changeId: id, answers: lowRiskAnswers() };
    case "gate.record":
      return { changeId: id, stage: "qa", gate: "mrp-run", result: "pass" };
    case "evidence.attach":
      return { changeId: id, filename: "a.txt", contentBase64: "aGVsbG8=" };
    case "evidence.read":
      return { id: evidenceId };
    case "audit.list":
      return { changeId: id };
    case "audit.verify":
      return {};
    case "register.export":
      return { format: "csv" };
  }
}

/** Inputs that pass the schema but that the register must refuse, changing nothing. */
function refusedByRules(method: RegisterMethodName, pick: <T>(xs: readonly T[]) => T): Obj | null {
  const unknownId = "01J00000000000000000000000";
  switch (method) {
    case "change.update":
      return pick([
        { id: closed.id, patch: { title: "late edit" } },
        { id: unknownId, patch: { title: "x" } },
      ]);
    case "change.transition":
      return pick([
        { id: closed.id, to: "draft", reason: "x" },
        { id: qaChange.id, to: "closed", reason: "x" },
        { id: qaChange.id, to: "rejected" },
        { id: unknownId, to: "submitted" },
      ]);
    case "change.promote":
      return pick([
        { id: qaChange.id, to: "production" },
        { id: qaChange.id, to: "integration" },
      ]);
    case "change.delete":
      return { id: closed.id, reason: "x" };
    case "change.comment":
      return { id: unknownId, body: "x" };
    case "risk.assess":
      return pick([
        { changeId: closed.id, answers: lowRiskAnswers() },
        { changeId: qaChange.id, answers: lowRiskAnswers({ bogus: true }) },
        { changeId: qaChange.id, answers: lowRiskAnswers({ integrations: ["sap"] }) },
      ]);
    case "gate.record":
      return pick([
        { changeId: qaChange.id, stage: "production", gate: "mrp-run", result: "pass" },
        { changeId: unknownId, stage: "qa", gate: "mrp-run", result: "pass" },
      ]);
    case "evidence.attach":
      return pick([
        { changeId: qaChange.id, filename: "p.txt", path: "/etc/passwd" },
        { changeId: qaChange.id, gateId: unknownId, filename: "a.txt", contentBase64: "aGk=" },
      ]);
    case "evidence.read":
    case "change.get":
      return { id: unknownId };
    default:
      return null;
  }
}

function hostileValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * 16);
  switch (pick) {
    case 0:
      return "x".repeat(Math.floor(r() * 300_000));
    case 1:
      return Number.NaN;
    case 2:
      return Number.POSITIVE_INFINITY;
    case 3:
      return -1e308;
    case 4:
      return "\u0000\ud800'; DROP TABLE audit; --";
    case 5:
      return depth > 3 ? null : [hostileValue(r, depth + 1), hostileValue(r, depth + 1)];
    case 6:
      return depth > 3 ? {} : { nested: hostileValue(r, depth + 1) };
    case 7:
      return JSON.parse('{"__proto__": {"polluted": true}}');
    case 8:
      return new Date(Number.NaN);
    case 9:
      return Array.from({ length: 10_000 }, () => "berlin");
    case 10:
      return 'NEAR(a b) OR * "';
    case 11:
      return -0;
    case 12:
      return true;
    case 13:
      return "01J00000000000000000000000";
    case 14:
      return { toString: "not a function" };
    default:
      return "";
  }
}

/** A malformed payload: random damage plus one defect that no schema of the contract accepts. */
function malformed(method: RegisterMethodName, r: () => number): unknown {
  const payload: Obj = structuredClone(valid(method));
  const keys = Object.keys(payload);
  for (let n = Math.floor(r() * 3); n > 0; n--) {
    const key = keys[Math.floor(r() * keys.length)];
    if (key === undefined) break;
    if (r() < 0.3) delete payload[key];
    else payload[key] = hostileValue(r);
  }
  switch (Math.floor(r() * 4)) {
    case 0:
      return [42, "text", [], true, 3.5][Math.floor(r() * 5)];
    case 1:
      return { ...payload, ...JSON.parse('{"__proto__": {"admin": true}}') };
    case 2:
      return { ...payload, [`unexpected${Math.floor(r() * 10)}`]: hostileValue(r) };
    default:
      return { ...payload, constructor: { prototype: { polluted: true } } };
  }
}

describe("hostile input", () => {
  it(`${PAYLOADS} malformed payloads against every register method: typed errors, nothing changed`, async () => {
    const r = rng(20261201);
    const methods = Object.keys(
      (await import("../../../shared/contract/methods/register")).registerMethods,
    ) as RegisterMethodName[];
    const db = core.services.register.db;
    const before = contentHash(db);
    const codes = new Map<string, number>();
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    for (let i = 0; i < PAYLOADS; i++) {
      const method = methods[i % methods.length] as RegisterMethodName;
      const semantic = r() < 0.15 ? refusedByRules(method, pick) : null;
      const input = semantic ?? malformed(method, r);
      const door = pick(["ipc", "web"] as const);
      const result = await core.call(method, input, door);
      if (result.ok) expect.fail(`payload ${i} to ${method} was accepted: ${JSON.stringify(input)?.slice(0, 300)}`);
      expect(ERROR_CODES).toContain(result.error.code);
      if (result.error.code === "internal")
        expect.fail(`payload ${i} to ${method} crashed inside: ${JSON.stringify(input)?.slice(0, 300)}`);
      codes.set(result.error.code, (codes.get(result.error.code) ?? 0) + 1);
    }
    expect(contentHash(db)).toBe(before);
    expect({} as Record<string, unknown>).not.toHaveProperty("polluted");
    expect([...codes.keys()].sort()).toEqual(
      expect.arrayContaining(["forbidden", "illegal-transition", "invalid-input", "not-found"]),
    );
    expect(await call(core, "audit.verify", {})).toMatchObject({ ok: true });
  });
});
