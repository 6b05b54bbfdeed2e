// The files route modules read, answered from memory. A Worker has no file
// system, so scripts/routes.mjs finds the literal paths a module reads, the
// edge way or the Node way:
//   fetch(new URL('./Inter-SemiBold.ttf', import.meta.url))
//   readFile(join(process.cwd(), 'assets/Inter-SemiBold.ttf'))
// bundles those files, and this answers for them: a module copied from a
// Next.js app keeps its file code unedited.
//
// Paths are the file's path from the project root: each module's
// import.meta.url is its own (file:///routes/blog/opengraph-image.tsx, written
// into its bundled copy), `process.cwd()` is `/`, and a file is found by its
// full path, never by its base name, so two routes may each have their own
// Inter-Bold.ttf.

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

/** The project root as a path: what `process.cwd()` gives route modules. */
export const CWD = '/';

/** A path, file: URL or relative path (from the root), as its key: `routes/blog/x.ttf`. */
export function keyOf(path: string | URL): string {
  let p = path instanceof URL || /^file:/.test(String(path)) ? decodeURIComponent(new URL(String(path)).pathname) : String(path);
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '..') parts.pop();
    else if (part && part !== '.') parts.push(part);
  }
  return parts.join('/');
}

/** The bundled bytes at `path`, or undefined. */
export function readAsset(path: string | URL): ArrayBuffer | undefined {
  return known.get(keyOf(path));
}

export const notBundled = (what: string) =>
  `${what} is not a bundled file: scripts/routes.mjs bundles fonts and images that a route reads by a literal path ` +
  `(new URL('./file', import.meta.url), or join(process.cwd(), 'file') and the like) to a file that exists`;

/** Adds `assets` (path from the project root → bytes) and wraps `fetch` once to serve them. */
export function installAssets(assets: Record<string, ArrayBuffer>): void {
  for (const [key, data] of Object.entries(assets)) known.set(key, data);
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  globalThis.fetch = function fetch(input: RequestInfo | URL, init?: RequestInit) {
    const href = input instanceof Request ? input.url : String(input);
    if (href.startsWith('file:')) {
      const data = readAsset(href);
      if (data) return Promise.resolve(new AssetResponse(data));
      return Promise.reject(new TypeError(notBundled(href)));
    }
    return original.call(globalThis, input as RequestInfo, init);
  } as typeof globalThis.fetch;
}
