// Short, URL-safe content hashes: image URL versions and ETags.
import { encodeBase64Url } from 'hono/utils/encode';

/** The first `bytes` bytes of SHA-256(data), base64url (a multiple of 3 needs no padding). */
export async function shortHash(data: BufferSource | string, bytes: number): Promise<string> {
  const input = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input));
  return encodeBase64Url(digest.subarray(0, bytes).slice().buffer);
}
