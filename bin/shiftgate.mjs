#!/usr/bin/env node
// Runs the CLI from its TypeScript sources through tsx, so `npx shiftgate` works right after `npm ci`.
import { register } from "tsx/esm/api";

register();
await import("../electron/cli/entry.ts");
