// Signed image URLs, opt-in: with a secret set, metadata URLs carry an
// HMAC-SHA256 over segment, slug, id and version, and the image endpoint
// refuses a missing or wrong one before it looks anything up or renders.
//
// Verification goes through crypto.subtle.verify, which compares in constant
// time; keys are imported once per isolate.
import { decodeBase64Url, encodeBase64Url } from 'hono/utils/encode';
import { ServiceError } from '../errors';

const keys = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();

function importKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

/** Unambiguous: parts are joined with a byte no part may contain. */
const message = (segment: string, slug: string, id: string, version: string) =>
  encoder.encode([segment, slug, id, version].join('\n'));

/** 32 bytes, base64url without its one `=` of padding. */
const SIGNATURE = /^[\w-]{43}$/;

export async function sign(secret: string, segment: string, slug: string, id: string, version: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await importKey(secret), message(segment, slug, id, version));
  return encodeBase64Url(mac).replace(/=+$/, '');
}

/** Throws 403 unless `sig` is a valid signature under one of `secrets`. */
export async function verify(
  secrets: string[],
  sig: string | undefined,
  segment: string,
  slug: string,
  id: string,
  version: string | undefined,
): Promise<void> {
  if (!sig || !version) throw new ServiceError(403, 'forbidden', 'this image URL needs a signature: use the url from the metadata');
  if (SIGNATURE.test(sig)) {
    const mac = decodeBase64Url(`${sig}=`);
    const data = message(segment, slug, id, version);
    for (const secret of secrets) {
      if (await crypto.subtle.verify('HMAC', await importKey(secret), mac, data)) return;
    }
  }
  throw new ServiceError(403, 'forbidden', 'the image URL signature is not valid');
}
