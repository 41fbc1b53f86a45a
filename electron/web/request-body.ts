import type { IncomingMessage } from "node:http";

/** What reading a request body gave: its text, or that it is larger than the door accepts. */
type BodyResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly tooLarge: true };

/**
 * Reads a request body as it arrives and stops at `limit` bytes: a body announced (Content-Length) or sent past the
 * limit is refused without reading or keeping another byte, so a 50 MB upload costs the door at most `limit`.
 * A body that stops arriving is ended by the server's requestTimeout; a connection lost mid-body rejects.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const announced = Number(req.headers["content-length"] ?? "0");
  if (Number.isFinite(announced) && announced > limit) return Promise.resolve({ ok: false, tooLarge: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop here: no listener and a paused stream, so nothing past the limit is read into memory.
        stop();
        req.pause();
        chunks.length = 0;
        resolve({ ok: false, tooLarge: true });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve({ ok: true, text: Buffer.concat(chunks).toString("utf8") });
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => {
      stop();
      reject(new Error("The connection closed before the request body was complete."));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
