// What the gallery shows: for every segment, its example pages and each
// page's images (or the error the page gives), through the same code as
// `GET /:segment/:slug/metadata`.
import { shortHash } from '../hash';
import { headTags } from '../pages/head-tags';
import { asServiceError } from '../errors';
import { loadFile, matchPage } from '../pages/match';
import { pageImages, type PageImage } from '../pages/page';
import type { Env, Registry, RouteModule } from '../types';

/** The slug a segment without `examples` is shown with. */
export const DEFAULT_EXAMPLE = 'example';
/** Pages per segment, so a long `examples` list cannot make `/` crawl. */
export const MAX_EXAMPLES = 12;

export interface GalleryPage {
  segment: string;
  slug: string;
  images: PageImage[];
  tags: string;
  error?: { status: number; code: string; message: string };
}

export interface GallerySegment {
  segment: string;
  /** True when the slugs come from the module's `examples` export. */
  declared: boolean;
  pages: GalleryPage[];
}

export function examplesOf(mod: RouteModule): { slugs: string[]; declared: boolean } {
  const list = Array.isArray(mod.examples) ? mod.examples.filter((s): s is string => typeof s === 'string' && s !== '') : [];
  return list.length > 0 ? { slugs: list.slice(0, MAX_EXAMPLES), declared: true } : { slugs: [DEFAULT_EXAMPLE], declared: false };
}

async function page(registry: Registry, segment: string, slug: string, env: Env, origin: string): Promise<GalleryPage> {
  try {
    // The same checks as a request for the page's metadata URL (the slug may
    // come from the "try a slug" form).
    const path = `/${segment}/${encodeURIComponent(slug)}/metadata`;
    const images = await pageImages(registry, matchPage(registry, origin + path), env, origin);
    return { segment, slug, images, tags: headTags(images) };
  } catch (e) {
    // The route's own message, even outside development: the gallery is the
    // tool for fixing it, and an operator who turns it on in production
    // (GALLERY=on) shows every segment's example data anyway.
    const { status, code, message } = asServiceError(e);
    return { segment, slug, images: [], tags: '', error: { status, code, message } };
  }
}

/**
 * Every segment's example pages, or, with `only`, one segment and one slug
 * (the gallery's "try a slug" form).
 */
export async function collect(
  registry: Registry,
  env: Env,
  origin: string,
  only?: { segment: string; slug: string },
): Promise<GallerySegment[]> {
  // The one-file segments (app-directory pages are listed in the JSON index).
  const files = registry.files.filter((f) => f.legacy).sort((a, b) => a.legacy!.localeCompare(b.legacy!));
  return Promise.all(
    files
      .filter((f) => !only || f.legacy === only.segment)
      .map(async (file) => {
        const segment = file.legacy!;
        const mod = await loadFile(file).then((e) => e.module, () => ({}));
        const { slugs, declared } = only ? { slugs: [only.slug], declared: false } : examplesOf(mod);
        return { segment, declared, pages: await Promise.all(slugs.map((slug) => page(registry, segment, slug, env, origin))) };
      }),
  );
}

/**
 * What the gallery shows changes when a route's code does: each segment's
 * code hash (scripts/routes.mjs) covers its file, its helpers and the
 * service. The same in every isolate of one build, so a page polling it
 * reloads only when `wrangler dev` has rebuilt.
 */
export const buildIdOf = (registry: Registry) =>
  shortHash(
    registry.files
      .map((f) => `${f.file}:${f.codeVersion}`)
      .sort()
      .join('\n'),
    9,
  );
