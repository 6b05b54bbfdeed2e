// The bundled default font (Inter, regular and bold, in @fontsource's Latin,
// Latin Extended, Cyrillic, Greek and Vietnamese subsets) and the font lists
// handed to satori. The files
// are TrueType that scripts/assets.mjs unwraps from @fontsource's WOFF: satori
// parses TTF in a few ms, WOFF (zlib-inflated in JavaScript) in ~85.
//
// satori parses fonts once per distinct `fonts` array (it keeps a WeakMap on
// the array's identity), so every list is built once per isolate and reused:
// the defaults are one constant, and a route's custom fonts are memoised by
// the identity of their data buffers.
import cyrillic400 from '../../generated/fonts/inter-cyrillic-400-normal.ttf';
import cyrillic700 from '../../generated/fonts/inter-cyrillic-700-normal.ttf';
import cyrillicExt400 from '../../generated/fonts/inter-cyrillic-ext-400-normal.ttf';
import cyrillicExt700 from '../../generated/fonts/inter-cyrillic-ext-700-normal.ttf';
import greek400 from '../../generated/fonts/inter-greek-400-normal.ttf';
import greek700 from '../../generated/fonts/inter-greek-700-normal.ttf';
import greekExt400 from '../../generated/fonts/inter-greek-ext-400-normal.ttf';
import greekExt700 from '../../generated/fonts/inter-greek-ext-700-normal.ttf';
import latin400 from '../../generated/fonts/inter-latin-400-normal.ttf';
import latin700 from '../../generated/fonts/inter-latin-700-normal.ttf';
import latinExt400 from '../../generated/fonts/inter-latin-ext-400-normal.ttf';
import latinExt700 from '../../generated/fonts/inter-latin-ext-700-normal.ttf';
import vietnamese400 from '../../generated/fonts/inter-vietnamese-400-normal.ttf';
import vietnamese700 from '../../generated/fonts/inter-vietnamese-700-normal.ttf';

export type FontWeight = 100 | 200 | 300 | 400 | 500 | 600 | 700 | 800 | 900;
export interface FontOptions {
  name: string;
  data: ArrayBuffer | ArrayBufferView;
  weight?: FontWeight;
  style?: 'normal' | 'italic';
  lang?: string;
}

export const DEFAULT_FONT_FAMILY = 'Inter';

// @fontsource ships Inter as unicode-range subsets. satori keeps one font per
// family, weight and style, so each subset is its own family; satori falls
// back across families glyph by glyph, and `Inter` (Latin) comes first.
const subsets: [string, ArrayBuffer, ArrayBuffer][] = [
  [DEFAULT_FONT_FAMILY, latin400, latin700],
  [`${DEFAULT_FONT_FAMILY} Latin Ext`, latinExt400, latinExt700],
  [`${DEFAULT_FONT_FAMILY} Cyrillic`, cyrillic400, cyrillic700],
  [`${DEFAULT_FONT_FAMILY} Cyrillic Ext`, cyrillicExt400, cyrillicExt700],
  [`${DEFAULT_FONT_FAMILY} Greek`, greek400, greek700],
  [`${DEFAULT_FONT_FAMILY} Greek Ext`, greekExt400, greekExt700],
  [`${DEFAULT_FONT_FAMILY} Vietnamese`, vietnamese400, vietnamese700],
];

const defaults: FontOptions[] = subsets.flatMap(([name, regular, bold]) => [
  { name, data: regular, weight: 400 as const, style: 'normal' as const },
  { name, data: bold, weight: 700 as const, style: 'normal' as const },
]);

const bufferIds = new WeakMap<object, number>();
let nextBufferId = 0;
const lists = new Map<string, FontOptions[]>();
/** A route that makes new font buffers per request would defeat the memo; bound it. */
const MAX_LISTS = 32;

const bufferId = (b: object) => {
  let id = bufferIds.get(b);
  if (id === undefined) bufferIds.set(b, (id = nextBufferId++));
  return id;
};

/** Custom fonts first (so a route's family wins), then the defaults as fallback. */
export function fontList(custom: readonly FontOptions[] | undefined): FontOptions[] {
  if (!custom?.length) return defaults;
  const key = custom
    .map((f) => `${f.name}|${f.weight ?? 400}|${f.style ?? 'normal'}|${f.lang ?? ''}|${bufferId(f.data)}`)
    .join(';');
  let list = lists.get(key);
  if (!list) {
    list = [...custom.map((f) => ({ ...f, data: toArrayBuffer(f.data) })), ...defaults];
    if (lists.size >= MAX_LISTS) lists.delete(lists.keys().next().value!);
    lists.set(key, list);
  }
  return list;
}

/** Routes may pass a Uint8Array (e.g. from fetch or an import); satori wants an ArrayBuffer. */
function toArrayBuffer(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  const view = data as ArrayBufferView;
  if (view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer) {
    return view.buffer;
  }
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice().buffer;
}
