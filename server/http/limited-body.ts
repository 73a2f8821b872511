import { AppError } from '../errors';

class PayloadTooLargeError extends Error {}

/** How much of an oversized body is read and dropped after the refusal before the socket is cut. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

/**
 * `body` passed through until more than `maxBytes` have come; then the copy fails (the reader
 * stops) while the rest of the original is read and dropped in the background, up to
 * DRAIN_MAX_BYTES. Cancelling the original instead would destroy the socket under a keep-alive
 * connection: the client then meets ECONNRESET on its next request, or EPIPE before it reads the 413.
 */
function limitedBody(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  const drain = async () => {
    let dropped = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
      if (dropped > DRAIN_MAX_BYTES) return reader.cancel('request body over its limit');
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen <= maxBytes) return controller.enqueue(value);
      controller.error(new PayloadTooLargeError(`more than ${maxBytes} bytes`));
      drain().catch(() => {});
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

function isTooLarge(error: unknown): boolean {
  return error instanceof PayloadTooLargeError || (error instanceof Error && error.cause instanceof PayloadTooLargeError);
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `The request body exceeds this route's limit of ${maxBytes} bytes.`, { limitBytes: maxBytes });
}

/**
 * The multipart body, counted while it streams in: a chunked body (no Content-Length) or a lying
 * header is cut off at `maxBytes` (413) instead of being buffered whole. Throws AppError
 * INVALID_INPUT with `invalid` for a body that is not a form.
 */
export async function readLimitedForm(req: Request, maxBytes: number, invalid: string): Promise<FormData> {
  try {
    return await new Request(req.url, { method: 'POST', headers: req.headers, body: req.body && limitedBody(req.body, maxBytes), duplex: 'half' } as RequestInit).formData();
  } catch (error) {
    if (isTooLarge(error)) throw tooLarge(maxBytes);
    throw new AppError('INVALID_INPUT', invalid);
  }
}

/** The raw body, cut off at `maxBytes` (413) as it streams in. */
export async function readLimitedBytes(req: Request, maxBytes: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array(0);
  try {
    return new Uint8Array(await new Response(limitedBody(req.body, maxBytes)).arrayBuffer());
  } catch (error) {
    if (isTooLarge(error)) throw tooLarge(maxBytes);
    throw error;
  }
}
