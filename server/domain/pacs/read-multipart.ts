/**
 * Streaming reader of a multipart/related body (RFC 2387, as WADO-RS answers): hands each part's
 * bytes to `onPart` as soon as the part is complete, holding at most one part (plus one chunk) in
 * memory, so a series of any size is never buffered whole.
 */
export async function readMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  onPart: (bytes: Uint8Array, headers: Record<string, string>) => Promise<void> | void,
  onChunk?: (bytes: number) => void,
): Promise<number> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter may come without the leading CRLF: prepend one so every delimiter looks alike.
  let pending: Buffer = Buffer.from('\r\n');
  let started = false;
  let parts = 0;
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (value) {
      onChunk?.(value.length);
      pending = pending.length ? Buffer.concat([pending, value]) : Buffer.from(value);
    }
    for (;;) {
      const at = pending.indexOf(delimiter);
      if (at < 0) break;
      if (started) {
        // pending = headers CRLF CRLF body, up to the delimiter.
        const headerEnd = pending.indexOf('\r\n\r\n');
        if (headerEnd < 0 || headerEnd > at) throw new Error('multipart part without a header block');
        const headers: Record<string, string> = {};
        for (const line of pending.subarray(0, headerEnd).toString('latin1').split('\r\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        await onPart(new Uint8Array(pending.subarray(headerEnd + 4, at)), headers);
        parts++;
      }
      started = true;
      const after = pending.subarray(at + delimiter.length);
      if (after.length >= 2 && after[0] === 0x2d && after[1] === 0x2d) {
        await reader.cancel().catch(() => undefined);
        return parts; // closing delimiter "--"
      }
      // Skip the rest of the delimiter line (transport padding, CRLF).
      const eol = after.indexOf('\r\n');
      if (eol < 0) {
        pending = Buffer.concat([Buffer.from('\r\n--'), Buffer.from(boundary), after]);
        started = false; // re-find this delimiter when its line is complete
        break;
      }
      pending = after.subarray(eol + 2);
    }
    if (done) {
      if (!started) throw new Error('multipart body without a boundary');
      throw new Error('multipart body ended before its closing boundary');
    }
  }
}
