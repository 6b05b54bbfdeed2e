export function buildAssets(options?: { outDir?: string; indexOut?: string; publicDir?: string; quiet?: boolean }): {
  fontFiles: number;
  fontBytes: number;
  emojiFiles: number;
  publicFiles: number;
  indexBytes: number;
};
export function encodeRanges(unicodeRange: string): string;
