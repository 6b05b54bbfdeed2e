// Next.js edge routes load local fonts with
//   fetch(new URL('./Inter-SemiBold.ttf', import.meta.url)).then((res) => res.arrayBuffer())
// A Worker has no files to fetch, so scripts/routes.mjs finds those URLs in
// routes/, bundles the files, and this answers the fetches from memory: a
// module copied from a Next.js app keeps its font code unedited.
//
// wrangler's bundle gives every module the same `import.meta.url` (the
// `[define]` in wrangler.toml: file:///routes/_.tsx), so `./x.ttf` in
// routes/<segment>.tsx resolves to file:///routes/x.ttf; under vitest each
// module has its real file URL. Both end with the asset's path from the
// project root, which is how it is found (or, failing that, by a file name
// only one asset has).

/**
 * The asset's own ArrayBuffer, every time: satori parses a font once per
 * buffer identity (src/render/fonts.ts), so a route that fetches its font on
 * every request still has it parsed once per isolate.
 */
class AssetResponse extends Response {
  constructor(private readonly data: ArrayBuffer) {
    super(data, { headers: { 'content-type': 'application/octet-stream' } });
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.data);
  }
}

const known = new Map<string, ArrayBuffer>();
let installed = false;

function find(pathname: string): ArrayBuffer | undefined {
  const path = decodeURIComponent(pathname);
  for (const [key, data] of known) if (path === `/${key}` || path.endsWith(`/${key}`)) return data;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const byName = [...known].filter(([key]) => key.slice(key.lastIndexOf('/') + 1) === name);
  return byName.length === 1 ? byName[0]![1] : undefined;
}

/** Adds `assets` (path from the project root → bytes) and wraps `fetch` once to serve them. */
export function installAssets(assets: Record<string, ArrayBuffer>): void {
  for (const [key, data] of Object.entries(assets)) known.set(key, data);
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  globalThis.fetch = function fetch(input: RequestInfo | URL, init?: RequestInit) {
    const href = input instanceof Request ? input.url : String(input);
    if (href.startsWith('file:')) {
      const data = find(new URL(href).pathname);
      if (data) return Promise.resolve(new AssetResponse(data));
      return Promise.reject(
        new TypeError(
          `${href} is not a bundled asset: scripts/routes.mjs bundles fonts (.ttf, .otf, .woff, .woff2) that a route ` +
            `names as new URL('./file', import.meta.url) with a literal path to an existing file`,
        ),
      );
    }
    return original.call(globalThis, input as RequestInfo, init);
  } as typeof globalThis.fetch;
}
