// An origin's compressed HTML, as text the rewriter can read. The origin is
// asked for `identity`, but some send gzip regardless; and the runtime
// decodes a body itself only in some paths. So the first bytes decide: a
// gzip or zlib header means the body is still compressed.

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
/** RFC 1950: deflate method, window ≤ 32 KiB, and the header checksum. */
const isZlib = (b: Uint8Array) => b.length >= 2 && (b[0]! & 0x0f) === 8 && b[0]! >> 4 <= 7 && ((b[0]! << 8) | b[1]!) % 31 === 0;

/**
 * `res` with a plain body and no Content-Encoding, or undefined when its
 * encoding is one this cannot read (e.g. br): such a page passes through.
 */
export async function plainBody(res: Response): Promise<Response | undefined> {
  const encoding = (res.headers.get('Content-Encoding') ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return res;
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') return undefined;
  const reader = res.body!.getReader();
  let first = new Uint8Array(0);
  // Two bytes decide; a chunk may be shorter.
  while (first.length < 2) {
    const { value, done } = await reader.read();
    if (done) break;
    first = first.length === 0 ? value : new Uint8Array([...first, ...value]);
  }
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.length > 0) controller.enqueue(first);
    },
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const compressed = encoding === 'deflate' ? isZlib(first) : isGzip(first);
  const body = compressed ? rest.pipeThrough(new DecompressionStream(encoding === 'deflate' ? 'deflate' : 'gzip')) : rest;
  const headers = new Headers(res.headers);
  headers.delete('Content-Encoding');
  return new Response(body, { status: res.status, statusText: res.statusText, headers });
}
