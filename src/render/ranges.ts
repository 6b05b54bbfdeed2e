// Code point ranges as scripts/assets.mjs encodes them: sorted, non-overlapping
// [start, end] pairs written as "gap.len" base-36 pairs, each gap counted from
// the previous range's end (a font's cmap in a few hundred bytes).

export function decodeRanges(encoded: string): Int32Array {
  if (!encoded) return new Int32Array(0);
  const parts = encoded.split(',');
  const out = new Int32Array(parts.length * 2);
  let prev = 0;
  parts.forEach((p, i) => {
    const [gap, len = '0'] = p.split('.');
    const start = prev + parseInt(gap!, 36);
    prev = start + parseInt(len, 36);
    out[i * 2] = start;
    out[i * 2 + 1] = prev;
  });
  return out;
}

export function covers(ranges: Int32Array, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[mid * 2]!) hi = mid - 1;
    else if (cp > ranges[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}
