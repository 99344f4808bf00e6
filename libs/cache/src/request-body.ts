import type { IncomingMessage } from 'node:http';

/**
 * Reads a request's whole body of `length` bytes (its Content-Length) and puts it back at the front of the stream, so
 * whoever handles the request next (Express's body parser, when no stored answer is served) reads it as if nothing had
 * happened. Resolves undefined if the stream ends, fails or closes first.
 *
 * Why this works: the body is read in paused mode (a 'readable' listener) and unshifted before the stream emits 'end';
 * once the listener is removed the stream's flowing state is reset to "no consumer yet" (Node's
 * updateReadableListening), so the next 'data' listener — raw-body's — starts it flowing again from the buffer.
 */
export function peekBody(req: IncomingMessage, length: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (complete: boolean): void => {
      req.removeListener('readable', onReadable);
      req.removeListener('end', onEnd);
      req.removeListener('error', onEnd);
      req.removeListener('close', onEnd);
      const body = Buffer.concat(chunks, received);
      if (received > 0 && !req.readableEnded) req.unshift(body);
      resolve(complete ? body : undefined);
    };
    const onEnd = (): void => finish(false);
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while (received < length && (chunk = req.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        received += chunk.length;
      }
      if (received >= length) finish(received === length);
    };
    req.on('readable', onReadable);
    req.once('end', onEnd);
    req.once('error', onEnd);
    // An aborted request may only close: the read must not wait for ever.
    req.once('close', onEnd);
  });
}
