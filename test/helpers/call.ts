// The real app called directly (not through SELF), with extra vars as
// wrangler.toml or a secret would set them, and the JSON error assertion.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import app from '../worker';
import { errorOf, ORIGIN } from './http';

export async function call(path: string, vars: Record<string, string> = {}, init?: RequestInit) {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(path.startsWith('http') ? path : ORIGIN + path, init), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export async function expectError(res: Response, status: number, code: string, message?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('Cache-Control')).toBe('no-store');
  const { error } = await errorOf(res);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
}
