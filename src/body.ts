// One capped body reader for every body the service takes in: a remote or
// local image a card names (src/render/images.ts) and a route's own Response
// (src/pages/route-response.ts). Read chunk by chunk rather than with
// arrayBuffer(), so a body over the cap is cancelled as soon as it is, never
// buffered whole, and a stalled one gives up when `wait` says so.

/**
 * The body's bytes. `tooBig(declared?)` makes the error for a body over
 * `maxBytes` (`declared` is its Content-Length, when that already says so);
 * `wait` bounds each read (a deadline or an abort signal), rejecting to stop.
 */
export async function readCapped(
  res: Response,
  maxBytes: number,
  tooBig: (declared?: number) => Error,
  wait: <T>(read: () => Promise<T>) => Promise<T> = (read) => read(),
): Promise<Uint8Array> {
  const declared = Number(res.headers.get('Content-Length'));
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooBig(declared);
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await wait(() => reader.read());
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooBig();
      chunks.push(value);
    }
  } catch (e) {
    reader.cancel().catch(() => undefined);
    throw e;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) out.set(c, (offset += c.byteLength) - c.byteLength);
  return out;
}
