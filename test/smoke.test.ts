import { SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';
import { isPng, pngSize } from './helpers/png';

it('renders the icon', async () => {
  const meta = await SELF.fetch('http://example.com/icon/acme/metadata');
  const items = await meta.json<any>();
  expect(meta.status, JSON.stringify(items)).toBe(200);
  const res = await SELF.fetch(items[0].url);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(res.status, new TextDecoder().decode(bytes)).toBe(200);
  expect(isPng(bytes)).toBe(true);
  expect(pngSize(bytes)).toEqual({ width: 48, height: 48 });
});
