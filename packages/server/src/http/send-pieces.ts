import type { Response } from 'express';

/**
 * Writes a response piece by piece as `pieces` makes them, so a large download is never held whole.
 * The headers go out with the first piece: until it is made, a failure is answered as any other (a
 * problem), and `headers` (a file name, say) were never set; a failure after it cuts the response
 * off, so that no client takes a partial file for a whole one. Waits while the client reads slower
 * than the pieces come, and stops when it goes away. Does IO.
 */
export async function sendPieces(res: Response, pieces: AsyncIterable<string | Uint8Array>, headers: Readonly<Record<string, string>>): Promise<void> {
  let started = false;
  const start = () => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    started = true;
  };
  for await (const piece of pieces) {
    if (!started) start();
    if (!res.write(piece)) await drainedOrClosed(res);
    if (res.destroyed) return;
  }
  if (!started) start();
  res.end();
}

function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
