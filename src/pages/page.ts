// A page's images, as Next.js attaches them (lib/metadata/resolve-metadata):
// for each kind (icon, apple-icon, opengraph-image, twitter-image) the files
// of the deepest folder on the page's path that has that kind, all of them,
// in file-name order; each folder's files see only that folder's params.
// The JSON answer, the tag block and the gallery all come from here.
import { getConfig } from '../config';
import { routeError } from '../errors';
import { cacheKey } from '../cache/tiers';
import { expiry, sign } from '../http/signing';
import { resolveImages } from './metadata';
import { kindOf, plainAlt, type TaggedImage } from './head-tags';
import { loadFile, paramsFor, target, type PageMatch } from './match';
import {
  IMAGE_KINDS,
  type Env,
  type FileKind,
  type ImageId,
  type ImageKind,
  type Params,
  type Registry,
  type RegistryEntry,
  type ResolvedImage,
  type RouteFile,
  type Size,
} from '../types';

/** One image of a page, as the metadata JSON lists it. */
export interface MetadataItem {
  id: ImageId;
  alt?: string;
  /** Left out for an app-directory file that declares no size (it renders at ImageResponse's). */
  size?: Size;
  contentType: string;
  url: string;
  /** The image file's kind (app-directory files only). */
  kind?: FileKind;
}

/** An item as the gallery and the tag block use it. */
export interface PageImage extends TaggedImage {
  id: ImageId;
  /** The JSON item. */
  item: MetadataItem;
  /** What rendering it takes (prerender): the file's name, module, resolved item, params and URL path. */
  source: { name: string; entry: RegistryEntry; resolved: ResolvedImage; params: Params; path: string };
}

/** Legacy `kind` export → the file kind whose place it takes in <head>. */
const FILE_KIND: Record<ImageKind, FileKind> = { image: 'opengraph-image', icon: 'icon', 'apple-icon': 'apple-icon' };
const TAG_KIND: Record<FileKind, TaggedImage['kind']> = {
  'opengraph-image': 'image',
  'twitter-image': 'twitter-image',
  icon: 'icon',
  'apple-icon': 'apple-icon',
};
/** Next.js's <head> order: Open Graph, Twitter, icons, apple-touch-icons. */
const HEAD_ORDER: FileKind[] = ['opengraph-image', 'twitter-image', 'icon', 'apple-icon'];

async function fileImages(file: RouteFile, page: PageMatch, env: Env, origin: string): Promise<PageImage[]> {
  const name = file.legacy ?? file.file;
  const entry = await loadFile(file);
  const kind = entry.module.kind;
  if (file.legacy && kind !== undefined && !IMAGE_KINDS.includes(kind as ImageKind)) {
    throw routeError(name, `kind ${JSON.stringify(kind)} is not one of ${IMAGE_KINDS.join(', ')}`);
  }
  const config = getConfig(env);
  const params = paramsFor(file.folder, page.params);
  const items = await resolveImages(name, entry, params, env, config);
  // With signing on, the first key signs every URL handed out.
  const [signingKey] = config.signingKeys;
  const exp = config.signatureTtl ? expiry(config.signatureTtl) : undefined;
  return Promise.all(
    items.map(async (raw) => {
      const i = { ...raw, alt: raw.alt === undefined ? undefined : plainAlt(raw.alt) };
      const at = target(file, params, String(i.id));
      let url = cacheKey(origin, at.path, i.version).url;
      if (signingKey) {
        if (exp !== undefined) url += `&exp=${exp}`;
        url += `&sig=${await sign(signingKey, { ...at.signed, id: at.id, version: i.version, exp })}`;
      }
      const tagKind = file.legacy ? kindOf(entry.module, i.size) : TAG_KIND[file.kind];
      const item: MetadataItem = file.legacy
        ? { id: i.id, alt: i.alt ?? '', size: i.size, contentType: i.contentType, url }
        : { id: i.id, ...(i.alt !== undefined && { alt: i.alt }), ...(i.sized && { size: i.size }), contentType: i.contentType, url, kind: file.kind };
      const source = { name, entry, resolved: raw, params, path: at.path };
      return { id: i.id, url, alt: i.alt, size: i.size, sized: i.sized, contentType: i.contentType, kind: tagKind, static: !!file.static, item, source };
    }),
  );
}

/** The files Next.js would attach to the page, in <head> order. */
export function pageFiles(registry: Registry, page: PageMatch): RouteFile[] {
  if (page.legacy) return [page.legacy];
  const chosen = new Map<FileKind, RouteFile[]>();
  for (let depth = 0; depth <= page.folder.length; depth++) {
    const folder = page.folder.slice(0, depth).join('/');
    const here = registry.files.filter((f) => !f.legacy && f.folder.join('/') === folder);
    for (const kind of HEAD_ORDER) {
      const files = here.filter((f) => f.kind === kind);
      if (files.length > 0) chosen.set(kind, files);
    }
  }
  return HEAD_ORDER.flatMap((k) => chosen.get(k) ?? []);
}

/** The images of one page, with absolute versioned URLs under `origin`, in <head> order. */
export async function pageImages(registry: Registry, page: PageMatch, env: Env, origin: string): Promise<PageImage[]> {
  const lists = await Promise.all(pageFiles(registry, page).map((f) => fileImages(f, page, env, origin)));
  return lists.flat();
}
