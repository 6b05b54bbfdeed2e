// The first tier: recently served images in this isolate's memory. A link
// shared widely brings bursts of crawlers for the same few images; answering
// those from memory skips even the Cache API. Entries are keyed by the
// versioned URL, so they never go stale; the tier is bounded in bytes (the
// isolate has 128 MB, and a render needs a share of it) and drops the least
// recently used first. A Map keeps insertion order, which makes the LRU.
import type { StoredImage } from './tiers';

const entries = new Map<string, StoredImage>();
let bytes = 0;

function evict(budget: number) {
  for (const [key, image] of entries) {
    if (bytes <= budget) break;
    entries.delete(key);
    bytes -= image.bytes.byteLength;
  }
}

export function memoryGet(key: string): StoredImage | undefined {
  const image = entries.get(key);
  if (image) {
    entries.delete(key); // move to the most recent end
    entries.set(key, image);
  }
  return image;
}

/** `budget` is MEMORY_CACHE_BYTES; 0 turns the tier off. */
export function memorySet(key: string, image: StoredImage, budget: number) {
  // One image may take at most an eighth of the tier.
  if (image.bytes.byteLength > budget / 8 || entries.has(key)) return;
  entries.set(key, image);
  bytes += image.bytes.byteLength;
  evict(budget);
}

/** Empties the tier (tests use it to reach the tiers behind). */
export function memoryClear() {
  entries.clear();
  bytes = 0;
}
