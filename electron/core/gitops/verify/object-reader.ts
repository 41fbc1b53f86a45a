import { type GitContext, gitProcess } from "../git";

/** Reads many git objects through one `git cat-file --batch` process (one spawn for the whole verify). */
export interface ObjectReader {
  /** Object contents by name (sha or `rev:path`), null when missing; one round trip for the whole list. */
  readMany(names: readonly string[]): Promise<(Buffer | null)[]>;
  close(): void;
}

/** Starts the cat-file process. */
export function openObjectReader(ctx: GitContext, dir: string): ObjectReader {
  const child = gitProcess(ctx, dir, ["cat-file", "--batch"]);
  let buffer: Buffer = Buffer.alloc(0);
  let waiting: {
    expect: number;
    results: (Buffer | null)[];
    done: (r: (Buffer | null)[]) => void;
    fail: (e: Error) => void;
  } | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let failure: Error | null = null;

  const drain = () => {
    while (waiting && waiting.results.length < waiting.expect) {
      const nl = buffer.indexOf(10);
      if (nl < 0) return;
      const header = buffer.subarray(0, nl).toString("utf8");
      if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
        waiting.results.push(null);
        buffer = buffer.subarray(nl + 1);
        continue;
      }
      const size = Number(header.slice(header.lastIndexOf(" ") + 1));
      if (buffer.length < nl + 1 + size + 1) return;
      waiting.results.push(Buffer.from(buffer.subarray(nl + 1, nl + 1 + size)));
      buffer = buffer.subarray(nl + 1 + size + 1);
    }
    if (waiting && waiting.results.length === waiting.expect) {
      const w = waiting;
      waiting = null;
      w.done(w.results);
    }
  };
  child.stdout.on("data", (chunk: Buffer) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    drain();
  });
  const onFail = (error: Error) => {
    failure = error;
    waiting?.fail(error);
    waiting = null;
  };
  child.on("error", onFail);
  child.on("close", () => onFail(new Error("git cat-file stopped")));
  child.stdin.on("error", () => undefined);

  const readMany = (names: readonly string[]): Promise<(Buffer | null)[]> => {
    const run = () =>
      new Promise<(Buffer | null)[]>((done, fail) => {
        if (failure) return fail(failure);
        if (names.length === 0) return done([]);
        waiting = { expect: names.length, results: [], done, fail };
        child.stdin.write(`${names.join("\n")}\n`);
        drain();
      });
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    readMany,
    close: () => {
      child.stdin.end();
    },
  };
}
