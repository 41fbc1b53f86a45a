// Child-process helper for calendar-process-tz.test.ts: runs several CLI command lines in-process (one Node start
// instead of one per command, which matters on loaded build machines) and prints their results as JSON.
import { runCliCaptured } from "../../helpers/cli";

const commands = JSON.parse(process.argv[2] ?? "[]") as string[][];
const results: { code: number; stdout: string; stderr: string }[] = [];
for (const argv of commands) results.push(await runCliCaptured(argv));
process.stdout.write(JSON.stringify({ zone: Intl.DateTimeFormat().resolvedOptions().timeZone, results }));
