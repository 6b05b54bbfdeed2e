// Open Graph cards for blog posts, from the D1 database bound as DB.
// Two variants per post: the 1200×630 `og` card and a 1080×1080 `square`
// one. An unknown slug is a 404.
import { ImageResponse } from 'next/og';
import { notFound } from 'next/navigation';
import type { Env, ImageProps, MetadataProps } from '../src/types';

interface Post {
  slug: string;
  title: string;
  author: string;
  published_at: string;
  updated_at: string;
  tag: string | null;
}

/** Posts the gallery and `npm run render -- blog` show (from seed/posts.sql). */
export const examples = ['hello-edge', 'caching-by-id', 'long-titles', 'cafe-creme', 'bian-yuan'];

const VARIANTS = {
  og: { width: 1200, height: 630 },
  square: { width: 1080, height: 1080 },
} as const;

async function getPost(env: Env, slug: string): Promise<Post> {
  if (!env.DB) throw new Error('the blog segment needs the D1 binding DB (see wrangler.toml)');
  const post = await env.DB.prepare('SELECT slug, title, author, published_at, updated_at, tag FROM posts WHERE slug = ?')
    .bind(slug)
    .first<Post>();
  if (!post) notFound();
  return post;
}

export async function generateImageMetadata({ params, env }: MetadataProps) {
  const { slug } = await params;
  const post = await getPost(env, slug);
  return Object.entries(VARIANTS).map(([id, size]) => ({
    id,
    size,
    contentType: 'image/png',
    alt: `${post.title}, by ${post.author}`,
    // A post edit changes its cards' URLs; untouched posts keep theirs.
    version: post.updated_at,
  }));
}

// "March 14, 2026", as Intl.DateTimeFormat('en', { dateStyle: 'long' }) writes
// it in UTC. By hand because an isolate's first Intl formatter loads ICU's
// locale data: ~40 ms of CPU on the first card a fresh isolate draws.
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
function formatDate(iso: string) {
  const d = new Date(iso);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}

/** Long titles step down so they stay within three or four lines. */
function titleSize(title: string, square: boolean) {
  const n = title.length;
  const base = square ? 84 : 72;
  return n > 90 ? base * 0.7 : n > 60 ? base * 0.82 : base;
}

export default async function Image({ id, params, env }: ImageProps) {
  const { slug } = await params;
  const post = await getPost(env, slug);
  const square = id === 'square';
  return new ImageResponse(
    <div
      style={{
        width: '100%',
        height: '100%',
        display: 'flex',
        flexDirection: 'column',
        justifyContent: 'space-between',
        padding: square ? 88 : 72,
        background: 'linear-gradient(135deg, #0f172a 0%, #1e1b4b 55%, #4c1d95 100%)',
        color: '#f8fafc',
      }}
    >
      <div style={{ display: 'flex', alignItems: 'center', gap: 16, fontSize: 28, color: '#c4b5fd' }}>
        <div style={{ width: 40, height: 40, borderRadius: 10, background: '#8b5cf6', display: 'flex' }} />
        <span style={{ fontWeight: 700, color: '#ede9fe' }}>The Edge Blog</span>
        {post.tag ? <span style={{ marginLeft: 12 }}>· {post.tag}</span> : null}
      </div>
      <div
        style={{
          display: 'flex',
          fontSize: titleSize(post.title, square),
          fontWeight: 700,
          lineHeight: 1.15,
          letterSpacing: '-0.02em',
        }}
      >
        {post.title}
      </div>
      <div style={{ display: 'flex', flexDirection: square ? 'column' : 'row', gap: square ? 8 : 24, fontSize: 30, color: '#cbd5e1' }}>
        <span style={{ fontWeight: 700, color: '#f8fafc' }}>{post.author}</span>
        <span>{formatDate(post.published_at)}</span>
      </div>
    </div>,
  );
}
