// `fs` / `node:fs` for route modules (wrangler.toml [alias]): reads of the
// files scripts/routes.mjs bundled, from memory. Only reading is offered; a
// Worker has nothing else to do with files.
import { notBundled, readAsset } from './files';

type Encoding = 'utf8' | 'utf-8' | 'base64' | 'latin1' | 'binary' | 'hex';
type Options = Encoding | { encoding?: Encoding | null } | null | undefined;

const encodingOf = (o: Options) => (typeof o === 'string' ? o : (o?.encoding ?? undefined));

function decode(data: ArrayBuffer, encoding: Encoding | undefined): string | Uint8Array {
  const bytes = new Uint8Array(data);
  if (!encoding) {
    // Node gives a Buffer; where the runtime has one (nodejs_compat), so do we.
    const B = (globalThis as { Buffer?: { from(b: ArrayBuffer): Uint8Array } }).Buffer;
    return B ? B.from(data) : bytes;
  }
  if (encoding === 'utf8' || encoding === 'utf-8') return new TextDecoder().decode(bytes);
  if (encoding === 'hex') return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return encoding === 'base64' ? btoa(binary) : binary;
}

function read(path: string | URL, options?: Options) {
  const data = readAsset(path);
  if (!data) throw Object.assign(new Error(`ENOENT: ${notBundled(String(path))}`), { code: 'ENOENT' });
  return decode(data, encodingOf(options));
}

export function readFileSync(path: string | URL, options?: Options): any {
  return read(path, options);
}

export function readFile(path: string | URL, options?: Options | ((e: unknown, d?: unknown) => void), callback?: (e: unknown, d?: unknown) => void) {
  const cb = typeof options === 'function' ? options : callback;
  const opts = typeof options === 'function' ? undefined : options;
  try {
    const data = read(path, opts);
    if (cb) queueMicrotask(() => cb(null, data));
  } catch (e) {
    if (cb) queueMicrotask(() => cb(e));
    else throw e;
  }
}

export const existsSync = (path: string | URL) => readAsset(path) !== undefined;

export const promises = {
  readFile: async (path: string | URL, options?: Options): Promise<any> => read(path, options),
};

export default { readFileSync, readFile, existsSync, promises };
