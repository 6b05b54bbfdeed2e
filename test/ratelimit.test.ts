// The optional rate limit on uncached renders, with miniflare's ratelimit
// binding (limit 3 a minute per client in this project).
import { describe, expect, it } from 'vitest';
import { errorOf, get, metadata, unique } from './helpers/http';

const from = (ip: string) => ({ headers: { 'CF-Connecting-IP': ip } });

describe('rate limit on renders', () => {
  it('stops a client after its budget of uncached renders, with 429 and Retry-After', async () => {
    const ip = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(`/icon/${unique()}/image/small`, from(ip))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const res = await get(`/icon/${unique()}/image/small`, from(ip));
    expect(res.headers.get('Retry-After')).toBe('60');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect((await errorOf(res)).error.code).toBe('rate_limited');
  });

  it('does not count cache hits, metadata, or other clients', async () => {
    const ip = '203.0.113.8';
    const [item] = await metadata('icon', unique());
    expect((await get(item!.url, from(ip))).status).toBe(200); // 1 render
    for (let i = 0; i < 2; i++) expect((await get(`/icon/${unique()}/image/small`, from(ip))).status).toBe(200);
    expect((await get(`/icon/${unique()}/image/small`, from(ip))).status).toBe(429);
    // Over budget, this client still gets what is cached, and metadata.
    for (let i = 0; i < 100 && !(await caches.default.match(item!.url)); i++) await new Promise((r) => setTimeout(r, 20));
    expect((await get(item!.url, from(ip))).status).toBe(200);
    expect((await get(`/icon/${unique()}/metadata`, from(ip))).status).toBe(200);
    expect((await get(`/icon/${unique()}/image/small`, from('203.0.113.9'))).status).toBe(200);
  });
});
