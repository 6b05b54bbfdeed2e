// Reading a page's metadata renders its images in the background
// (src/http/prerender.ts), so the crawler's image requests that follow are
// cache hits; a failing render there changes nothing about the metadata
// answer. The test project sets PRERENDER=off for the other files; here the
// Worker's handler gets the same env with it on (the default), as workerd
// calls it, and the execution context is waited on like the runtime does.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from './worker';
import { ORIGIN, unique } from './helpers/http';
import { isPng } from './helpers/png';

const on = { ...(env as object), PRERENDER: 'on' } as typeof env;
const off = { ...(env as object), PRERENDER: 'off' } as typeof env;

async function handle(path: string, e = on, init?: RequestInit): Promise<{ res: Response; bytes: Uint8Array }> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), e, ctx);
  const bytes = new Uint8Array(await res.arrayBuffer());
  await waitOnExecutionContext(ctx);
  return { res, bytes };
}

const itemsOf = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as { id: string; url: string }[];
const pathOf = (url: string) => url.slice(new URL(url).origin.length);

describe('prerender on metadata', () => {
  it('renders the listed images after the metadata answer: the first image request is a cache hit', async () => {
    const slug = unique('pre'); // the icon route draws any slug
    const { res, bytes } = await handle(`/icon/${slug}/metadata`);
    expect(res.status).toBe(200);
    const items = itemsOf(bytes);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      const image = await handle(pathOf(item.url));
      expect(image.res.status).toBe(200);
      expect(isPng(image.bytes)).toBe(true);
      expect(image.res.headers.get('X-Cache'), `${item.id}`).not.toBe('miss');
    }
  });

  it('a second metadata read while or after the first renders leaves the image served from memory', async () => {
    const slug = unique('twice');
    await handle(`/icon/${slug}/metadata`);
    const [item] = itemsOf((await handle(`/icon/${slug}/metadata`)).bytes);
    const first = await handle(pathOf(item!.url));
    expect(first.res.headers.get('X-Cache')).toBe('memory');
  });

  it('is off with PRERENDER=off: the first image request renders', async () => {
    const slug = unique('off');
    const [item] = itemsOf((await handle(`/icon/${slug}/metadata`, off)).bytes);
    expect((await handle(pathOf(item!.url), off)).res.headers.get('X-Cache')).toBe('miss');
  });

  it('a failing render in the background leaves the metadata answer as it is', async () => {
    // test/fixtures/routes/faulty.ts: its items throw, return a non-response, a bad element…
    const quiet = await handle('/faulty/fine/metadata', off);
    const loud = await handle('/faulty/fine/metadata', on);
    expect(loud.res.status).toBe(200);
    expect(quiet.res.status).toBe(200);
    expect(new TextDecoder().decode(loud.bytes)).toBe(new TextDecoder().decode(quiet.bytes));
    expect(loud.res.headers.get('Cache-Control')).toBe(quiet.res.headers.get('Cache-Control'));
    // And the failing image still answers its own request with its error, uncached.
    const [thrower] = itemsOf(loud.bytes).filter((i) => i.id === 'throws');
    const image = await handle(pathOf(thrower!.url));
    expect(image.res.status).toBe(500);
    expect(image.res.headers.get('X-Cache')).not.toBe('memory');
  });
});
