// Binary imports, as wrangler's module rules and the test pool provide them.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
declare module '*.woff' {
  const data: ArrayBuffer;
  export default data;
}
declare module '*.woff2' {
  const data: ArrayBuffer;
  export default data;
}
declare module '*.ttf' {
  const data: ArrayBuffer;
  export default data;
}
declare module '*.otf' {
  const data: ArrayBuffer;
  export default data;
}
// Route modules from Next.js apps use `new URL('./font.ttf', import.meta.url)`
// (see src/pages/next/files.ts).
interface ImportMeta {
  readonly url: string;
}

// The node: functions the Worker uses (nodejs_compat, wrangler.toml);
// @types/node stays out of the Worker's types, which are workerd's.
declare module 'node:zlib' {
  export function deflateSync(data: ArrayBufferView, options?: { level?: number }): Uint8Array;
  export function inflateSync(data: ArrayBufferView): Uint8Array;
  export function crc32(data: ArrayBufferView | string, value?: number): number;
}
declare module 'node:buffer' {
  export class Buffer extends Uint8Array {
    static from(buffer: ArrayBufferLike, byteOffset?: number, length?: number): Buffer;
    toString(encoding: 'base64'): string;
  }
}
