// `path` / `node:path` for route modules: POSIX path strings, which is all a
// route needs to name a bundled file (join(process.cwd(), 'assets/x.ttf')).
// Written here rather than added as a dependency: the few functions Next.js
// image files call, over paths that are plain strings, and `/` as the cwd.
import { CWD } from './files';

export const sep = '/';
export const delimiter = ':';

export function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const out = (absolute ? '/' : '') + parts.join('/');
  return out || (absolute ? '/' : '.');
}

export const join = (...paths: string[]) => normalize(paths.filter(Boolean).join('/'));

export function resolve(...paths: string[]): string {
  let out = '';
  for (const p of paths) if (p) out = p.startsWith('/') ? p : `${out}/${p}`;
  return normalize(out.startsWith('/') ? out : `${CWD}/${out}`);
}

export const isAbsolute = (path: string) => path.startsWith('/');

export function dirname(path: string): string {
  const i = path.replace(/\/+$/, '').lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

export function basename(path: string, ext?: string): string {
  const base = path.replace(/\/+$/, '').split('/').pop() ?? '';
  return ext && base.endsWith(ext) && base !== ext ? base.slice(0, -ext.length) : base;
}

export function extname(path: string): string {
  const base = basename(path);
  const i = base.lastIndexOf('.');
  return i <= 0 ? '' : base.slice(i);
}

export function relative(from: string, to: string): string {
  const a = resolve(from).split('/').filter(Boolean);
  const b = resolve(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

const path = { sep, delimiter, normalize, join, resolve, isAbsolute, dirname, basename, extname, relative };
export const posix = path;
export default path;
