// Signed image URLs, opt-in: with a secret set, metadata URLs carry an
// HMAC-SHA256 over segment, slug, id, version and, with SIGNATURE_TTL set,
// an expiry (`exp`, Unix seconds), and the image endpoint refuses a missing,
// wrong or expired one before it looks anything up or renders.
//
// One spelling verifies: the signature is unpadded base64url whose last
// character carries no unused bits (43 characters hold 258 bits for the MAC's
// 256, so four final characters would decode to the same MAC), and `exp` is
// plain decimal. The signed message holds the decoded path parts, so however
// a client percent-encodes them, it is the same message.
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

export interface Signed {
  segment: string;
  slug: string;
  id: string;
  version: string;
  /** Expiry, Unix seconds; absent: the signature does not expire. */
  exp?: number;
}

/**
 * Unambiguous: parts are joined with a byte no part may contain. Without
 * `exp` the message is what it was before expiries existed, so URLs signed
 * then still verify.
 */
const message = ({ segment, slug, id, version, exp }: Signed) =>
  encoder.encode([segment, slug, id, version, ...(exp === undefined ? [] : [String(exp)])].join('\n'));

/** 32 bytes as unpadded base64url, its last character one whose two spare bits are zero. */
const SIGNATURE = /^[\w-]{42}[AEIMQUYcgkosw048]$/;
/** Unix seconds, plain decimal. */
const EXP = /^[1-9]\d{0,11}$/;

export async function sign(secret: string, signed: Signed): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await importKey(secret), message(signed));
  return encodeBase64Url(mac).replace(/=+$/, '');
}

/**
 * When a URL signed now with a lifetime of `ttl` seconds expires: rounded up
 * to a step (an hour, or the ttl if shorter), so the URLs metadata hands out
 * stay the same for that long and caches keyed on them keep working.
 */
export function expiry(ttl: number, now = Date.now()): number {
  const step = Math.min(ttl, 3600);
  return Math.ceil((now / 1000 + ttl) / step) * step;
}

/** `max-age` (and `s-maxage`) in a Cache-Control value lowered to what a signature has left. */
export const cappedCacheControl = (value: string, secondsLeft: number) =>
  value.replace(/\b(max-age|s-maxage)=(\d+)/g, (_, name: string, n: string) => `${name}=${Math.min(Number(n), secondsLeft)}`);

/**
 * Throws 403 unless `sig` (and `exp`, when given) is a valid, unexpired
 * signature under one of `secrets`. Returns the expiry, if any.
 */
export async function verify(
  secrets: string[],
  query: { sig?: string; exp?: string },
  parts: Omit<Signed, 'version' | 'exp'> & { version?: string },
  now = Date.now(),
): Promise<number | undefined> {
  const { sig, exp: expParam } = query;
  const { version } = parts;
  if (!sig || !version) throw new ServiceError(403, 'forbidden', 'this image URL needs a signature: use the url from the metadata');
  if (expParam !== undefined && !EXP.test(expParam)) throw new ServiceError(403, 'forbidden', 'the image URL expiry is not valid');
  const exp = expParam === undefined ? undefined : Number(expParam);
  if (SIGNATURE.test(sig)) {
    const mac = decodeBase64Url(`${sig}=`);
    const data = message({ ...parts, version, exp });
    for (const secret of secrets) {
      if (await crypto.subtle.verify('HMAC', await importKey(secret), mac, data)) {
        // Checked after the MAC, so the answer does not tell a forged expiry from a real one.
        if (exp !== undefined && exp * 1000 <= now) throw new ServiceError(403, 'forbidden', 'this image URL has expired: get a new one from the metadata');
        return exp;
      }
    }
  }
  throw new ServiceError(403, 'forbidden', 'the image URL signature is not valid');
}
