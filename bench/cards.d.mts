// Types for the card builders tests share with the bench (test/perf-pixels.test.ts).
type H = (type: string, props: Record<string, unknown> | null, ...children: unknown[]) => unknown;
interface Post {
  title: string;
  author: string;
  published_at: string;
  updated_at: string;
  tag: string | null;
  subtitle?: string;
}
export const BLOG_POST: Post;
export const GRADIENT_POST: Post;
export const PHOTO_POST: Post;
export const EMOJI_POST: Post;
export const INTL_POST: Post;
export const REPO: { name: string; description: string; stats: [string, string][] };
export function hueOf(slug: string): number;
export function blogCard(h: H, post: Post): unknown;
export function gradientCard(h: H, post: Post, hue: number): unknown;
export function photoCard(h: H, post: Post, src: string): unknown;
export function ownPhoto(dataUrl: string, tag: string): string;
export function emojiCard(h: H, post: Post): unknown;
export function intlCard(h: H, post: Post): unknown;
export function statsCard(h: H, repo: typeof REPO): unknown;
type Rows = [label: string, text: string][];
export function samplesCard(h: H, rows: Rows): unknown;
export const SCRIPT_SAMPLES: Record<'indic' | 'other' | 'symbols', Rows>;
export function emojiSamples(set: string): Rows;
