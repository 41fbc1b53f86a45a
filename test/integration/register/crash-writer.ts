// A child process for the crash test: writes changes through dispatch until killed, printing
// "ack <id>" only after each call returned (its transaction committed).
//
// It wires the dispatcher to the register the way electron/core/core.ts does, but with the register
// handlers only: loading every capability (the Kubernetes client above all) takes seconds per start,
// and the test starts this process twenty times.
import { fixedClock } from "../../../electron/core/clock";
import { createDispatcher, type Handlers } from "../../../electron/core/dispatch";
import { ulidSource } from "../../../electron/core/ids";
import { osActor } from "../../../electron/core/register/actor";
import { appendAudit } from "../../../electron/core/register/audit";
import { openRegister } from "../../../electron/core/register/db";
import { registerHandlers } from "../../../electron/core/register/handlers";
import { loadMigrations } from "../../../electron/core/register/migrations";

// The payload is inlined: importing the test fixtures would load vitest into this process.
const newChange = (overrides: Record<string, unknown> = {}) => ({
  title: "Crash write",
  type: "normal",
  area: "warehouse",
  plants: ["berlin"],
  environment: "production",
  requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
  ...overrides,
});

// The test bundles this file (fast start), so the migrations folder comes as an argument.
const [file, migrationsDir] = process.argv.slice(2);
if (!file || !migrationsDir) throw new Error("usage: crash-writer FILE MIGRATIONS_DIR");
const clock = fixedClock("2026-12-01T08:00:00Z");
const register = await openRegister({
  file,
  migrations: loadMigrations(migrationsDir),
  clock,
});
const ids = ulidSource();
const handlers = registerHandlers({
  appVersion: "crash",
  dataDir: `${file}.d`,
  register,
  clock,
  ids,
  timeZone: "UTC",
  gitopsDir: null,
});
const dispatch = createDispatcher({
  // Only register methods are called; the other capabilities are deliberately not loaded.
  handlers: handlers as Handlers,
  clock,
  ids,
  storage: {
    transaction: (fn) => register.db.transaction(fn).immediate(),
    writeAudit: (entries, meta) => appendAudit(register.db, entries, meta, osActor()),
  },
});
process.stdout.write("ready\n");
for (let i = 0; ; i++) {
  const created = await dispatch("change.create", newChange({ title: `Crash write ${process.pid} ${i}` }));
  if (!created.ok) throw new Error(created.error.message);
  process.stdout.write(`ack ${(created.value as { id: string }).id}\n`);
  // Every few writes a multi-row mutation too, so a kill can land inside a bigger transaction.
  if (i % 5 === 0) {
    const many = await dispatch("change.createMany", { changes: [newChange(), newChange(), newChange()] });
    if (!many.ok) throw new Error(many.error.message);
    for (const m of (many.value as { ids: string[] }).ids) process.stdout.write(`ack ${m}\n`);
  }
}
