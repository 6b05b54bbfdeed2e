// The three cards every renderer draws, as element trees built with a
// createElement function `h` (React.createElement for the peers). They are
// transcriptions of the route modules, not imports of them, because peers
// cannot run our routes (D1, next/og shims). Keep them in step with
// routes/blog.tsx and routes/icon.tsx: the bench compares each peer's pixels
// with ours and reports how far they differ, so drift shows in the results.
// No Node APIs here: this module is bundled into the peer Workers too.

/** hello-edge from seed/posts.sql. */
export const BLOG_POST = {
  title: 'Hello from the edge: Open Graph images in under 100 ms',
  author: 'Ada Lovelace',
  published_at: '2026-03-14T09:00:00Z',
  updated_at: '2026-03-14T09:00:00Z',
  tag: 'Announcements',
};

/** A Chinese-titled post; the bench inserts it into its own local D1 only. */
export const ZH_POST = {
  title: '在边缘生成社交分享图片：一百毫秒以内',
  author: '王小明',
  published_at: '2026-03-14T09:00:00Z',
  updated_at: '2026-03-14T09:00:00Z',
  tag: '公告',
};

const formatDate = (iso) => new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
const titleSize = (n) => (n > 90 ? 72 * 0.7 : n > 60 ? 72 * 0.82 : 72);

/** routes/blog.tsx, id `og` (1200×630). */
export const blogCard = (h, post) =>
  h(
    'div',
    {
      style: {
        width: '100%',
        height: '100%',
        display: 'flex',
        flexDirection: 'column',
        justifyContent: 'space-between',
        padding: 72,
        background: 'linear-gradient(135deg, #0f172a 0%, #1e1b4b 55%, #4c1d95 100%)',
        color: '#f8fafc',
      },
    },
    h(
      'div',
      { style: { display: 'flex', alignItems: 'center', gap: 16, fontSize: 28, color: '#c4b5fd' } },
      h('div', { style: { width: 40, height: 40, borderRadius: 10, background: '#8b5cf6', display: 'flex' } }),
      h('span', { style: { fontWeight: 700, color: '#ede9fe' } }, 'The Edge Blog'),
      post.tag ? h('span', { style: { marginLeft: 12 } }, `· ${post.tag}`) : null,
    ),
    h(
      'div',
      { style: { display: 'flex', fontSize: titleSize(post.title.length), fontWeight: 700, lineHeight: 1.15, letterSpacing: '-0.02em' } },
      post.title,
    ),
    h(
      'div',
      { style: { display: 'flex', flexDirection: 'row', gap: 24, fontSize: 30, color: '#cbd5e1' } },
      h('span', { style: { fontWeight: 700, color: '#f8fafc' } }, post.author),
      h('span', null, formatDate(post.published_at)),
    ),
  );

/** routes/icon.tsx, id `small` (48×48), for a slug starting with "a". */
export const iconCard = (h, px = 48, letter = 'A') =>
  h(
    'div',
    {
      style: {
        width: '100%',
        height: '100%',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg, #4338ca 0%, #7c3aed 100%)',
        borderRadius: Math.round(px * 0.22),
        color: '#ffffff',
        fontSize: Math.round(px * 0.62),
        fontWeight: 700,
      },
    },
    letter,
  );

/** Every character the Chinese card draws besides the date (which is Latin). */
export const ZH_TEXT = [ZH_POST.title, ZH_POST.author, ZH_POST.tag].join('');

/** key → { label, width, height, element(h) }. Fonts per card: bench/fonts.mjs `cardFonts`. */
export const CARDS = {
  blog: { label: 'blog card 1200×630', width: 1200, height: 630, element: (h) => blogCard(h, BLOG_POST) },
  icon: { label: 'icon 48×48', width: 48, height: 48, element: (h) => iconCard(h) },
  zh: { label: 'Chinese-title card 1200×630', width: 1200, height: 630, element: (h) => blogCard(h, ZH_POST) },
};
