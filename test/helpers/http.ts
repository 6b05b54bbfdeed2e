// Requests go through the Worker's real fetch handler inside workerd.
import { SELF } from 'cloudflare:test';

export const ORIGIN = 'http://og.test';

export const get = (path: string, init?: RequestInit) =>
  SELF.fetch(path.startsWith('http') ? path : `${ORIGIN}${path}`, init);

export async function body(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}

export interface ErrorBody {
  error: { code: string; message: string; stack?: string };
}

/** Asserts-free helper: the parsed JSON error body of a response. */
export const errorOf = (res: Response) => res.json<ErrorBody>();

export interface Item {
  id: string | number;
  alt: string;
  size: { width: number; height: number };
  contentType: string;
  url: string;
}

export async function metadata(segment: string, slug: string): Promise<Item[]> {
  const res = await get(`/${segment}/${encodeURIComponent(slug)}/metadata`);
  if (res.status !== 200) throw new Error(`metadata ${segment}/${slug}: ${res.status} ${await res.text()}`);
  return res.json<Item[]>();
}

/** A slug no other test uses, so cache state never leaks between tests. */
export const unique = (prefix = 's') => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
