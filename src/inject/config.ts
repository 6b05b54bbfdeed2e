// Inject mode's settings: the `INJECT` var, JSON (a string, or an object in
// wrangler.toml [vars]). Parsed once per isolate with the rest of the config.
//
//   INJECT = '{ "pages": { "/blog/:slug": "blog", "/": "icon/og-edge" },
//               "origin": "https://origin.example.com", "replace": true }'
//
// `pages` maps a path pattern in Hono's syntax to the segment whose tags the
// page gets (`segment` takes the slug from `:slug`; `segment/slug` names a
// fixed one; a list gives a page several segments' tags). `origin` is where
// pages come from when the Worker is not simply in front of the site.
// `replace` drops the page's own og:image/twitter:image (or icon) tags where
// ours bring that kind.
import { PatternRouter } from 'hono/router/pattern-router';
import { SEGMENT_PATTERN } from '../http/params';

export interface InjectTarget {
  segment: string;
  /** A fixed slug; without it the slug is the pattern's `:slug`. */
  slug?: string;
}

export interface InjectPage {
  pattern: string;
  targets: InjectTarget[];
}

export interface InjectConfig {
  /** Absolute origin (`https://host[:port]`) pages are fetched from; unset: the request's own URL. */
  origin?: string;
  replace: boolean;
  pages: InjectPage[];
  /** Path → the first configured page whose pattern matches it, with the pattern's params. */
  match: (path: string) => { page: InjectPage; params: Record<string, string> } | undefined;
  /** What in INJECT was refused (logged once; the rest still works). */
  faults: string[];
}

function parseTarget(value: unknown, pattern: string): InjectTarget {
  if (typeof value !== 'string') throw new Error(`"${pattern}": a target must be "segment" or "segment/slug", got ${JSON.stringify(value)}`);
  const [segment = '', slug, ...rest] = value.split('/');
  if (!SEGMENT_PATTERN.test(segment) || rest.length > 0 || slug === '') {
    throw new Error(`"${pattern}": "${value}" is not "segment" or "segment/slug"`);
  }
  if (slug === undefined && !/:slug\b/.test(pattern)) throw new Error(`"${pattern}" has no :slug, so "${value}" needs a fixed slug ("${value}/…")`);
  return slug === undefined ? { segment } : { segment, slug };
}

function parseOrigin(value: unknown): string {
  let url: URL | undefined;
  try {
    url = new URL(String(value));
  } catch {}
  if (typeof value !== 'string' || !url || !/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new Error(`origin must be an http(s) origin such as "https://origin.example.com", got ${JSON.stringify(value)}`);
  }
  return url.origin;
}

/**
 * INJECT as the service uses it, or undefined when it is unset. A value that
 * cannot be read at all (not JSON, a bad origin) is `{ error }`: the Worker
 * cannot know where pages are, and says so. A bad page entry is only left
 * out, with a fault.
 */
export function readInject(raw: unknown): InjectConfig | { error: string } | undefined {
  try {
    return parseInject(raw);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function parseInject(raw: unknown): InjectConfig | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new Error(`INJECT is not JSON: ${(e as Error).message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('INJECT must be a JSON object');
  const { origin, replace, pages } = value as Record<string, unknown>;
  if (replace !== undefined && typeof replace !== 'boolean') throw new Error('INJECT.replace must be true or false');
  if (typeof pages !== 'object' || pages === null || Array.isArray(pages)) {
    throw new Error('INJECT.pages must be an object of path pattern → segment');
  }

  const faults: string[] = [];
  const list: InjectPage[] = [];
  // Hono's own pattern matcher: `:name`, `:name{regex}`, optional trailing slash.
  const router = new PatternRouter<InjectPage>();
  for (const [pattern, targets] of Object.entries(pages)) {
    try {
      if (!pattern.startsWith('/')) throw new Error(`"${pattern}" must start with /`);
      const page = { pattern, targets: (Array.isArray(targets) ? targets : [targets]).map((t) => parseTarget(t, pattern)) };
      if (page.targets.length === 0) throw new Error(`"${pattern}" has no segment`);
      router.add('GET', pattern, page);
      list.push(page);
    } catch (e) {
      faults.push(`INJECT.pages ${(e as Error).message || 'is not a pattern Hono can read'}`);
    }
  }
  return {
    origin: origin === undefined ? undefined : parseOrigin(origin),
    replace: replace === true,
    pages: list,
    faults,
    match(path) {
      const [first] = router.match('GET', path)[0];
      return first ? { page: first[0], params: first[1] as Record<string, string> } : undefined;
    },
  };
}
