// The cards every renderer draws, as element trees built with a
// createElement function `h` (React.createElement for the peers). They are
// transcriptions of the route modules, not imports of them, because peers
// cannot run our routes (D1, next/og shims). Keep them in step with
// routes/blog.tsx and bench/routes/card.tsx: the bench compares each peer's pixels
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

// As routes/blog.tsx formats it (by hand: no Intl locale data on a cold isolate).
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const formatDate = (iso) => {
  const d = new Date(iso);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
};
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

/** A post whose card takes its gradient from the post (bench/routes/cards.tsx, `gradient`). */
export const GRADIENT_POST = { ...BLOG_POST, title: 'Per-post colours: every card its own gradient' };

/** A hue from a slug, as sites do to give each post its own colour. */
export const hueOf = (slug) => [...slug].reduce((h, c) => (h * 31 + c.codePointAt(0)) % 360, 7);

/** The blog card with a gradient of the post's own hue. */
export const gradientCard = (h, post, hue) =>
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
        background: `linear-gradient(120deg, hsl(${hue}, 70%, 22%) 0%, hsl(${(hue + 40) % 360}, 65%, 38%) 100%)`,
        color: '#ffffff',
      },
    },
    h('div', { style: { display: 'flex', fontSize: 28, fontWeight: 700, opacity: 0.85 } }, 'The Edge Blog'),
    h('div', { style: { display: 'flex', fontSize: 68, fontWeight: 700, lineHeight: 1.15 } }, post.title),
    h('div', { style: { display: 'flex', fontSize: 30 } }, `${post.author} · ${formatDate(post.published_at)}`),
  );

export const PHOTO_POST = { ...BLOG_POST, title: 'A weekend with the STM32F3 Discovery board', tag: 'Hardware' };

/** Title on the left, the post's cover photo on the right (object-fit: cover, rounded). */
export const photoCard = (h, post, src) =>
  h(
    'div',
    { style: { width: '100%', height: '100%', display: 'flex', background: '#0b1020', color: '#f8fafc' } },
    h(
      'div',
      { style: { display: 'flex', flexDirection: 'column', justifyContent: 'space-between', width: 640, padding: 64 } },
      h('div', { style: { display: 'flex', fontSize: 26, color: '#93c5fd', fontWeight: 700 } }, post.tag),
      h('div', { style: { display: 'flex', fontSize: 56, fontWeight: 700, lineHeight: 1.15 } }, post.title),
      h('div', { style: { display: 'flex', fontSize: 28, color: '#cbd5e1' } }, post.author),
    ),
    h('img', { src, width: 520, height: 590, style: { margin: 20, objectFit: 'cover', borderRadius: 24 } }),
  );

export const EMOJI_POST = {
  ...BLOG_POST,
  title: '🚀 Launch week 🎉 day 3: faster builds ⚡ fewer bugs 🐛 happier devs 😄 and a new logo 🎨✨',
  tag: '🔥 Trending',
};

/** A title full of emoji and a row of reactions under it. */
export const emojiCard = (h, post) =>
  h(
    'div',
    {
      style: {
        width: '100%',
        height: '100%',
        display: 'flex',
        flexDirection: 'column',
        justifyContent: 'space-between',
        padding: 64,
        background: '#fffbeb',
        color: '#1c1917',
      },
    },
    h('div', { style: { display: 'flex', fontSize: 30, fontWeight: 700, color: '#b45309' } }, post.tag),
    h('div', { style: { display: 'flex', fontSize: 60, fontWeight: 700, lineHeight: 1.2 } }, post.title),
    h('div', { style: { display: 'flex', gap: 32, fontSize: 32 } }, '👍 1.2k', '❤️ 348', '😂 97', '👀 41', '🙌 23'),
  );

export const INTL_POST = {
  ...BLOG_POST,
  title: '東京で開催されたエッジコンピューティング会議の報告：世界中の開発者が集まりました',
  subtitle: 'تقرير عن مؤتمر الحوسبة الطرفية في طوكيو: اجتمع المطورون من جميع أنحاء العالم',
  author: '山田太郎',
};

/** A long Japanese title and its Arabic translation, right to left. */
export const intlCard = (h, post) =>
  h(
    'div',
    {
      style: {
        width: '100%',
        height: '100%',
        display: 'flex',
        flexDirection: 'column',
        justifyContent: 'space-between',
        padding: 64,
        background: '#ffffff',
        color: '#111827',
        borderTop: '16px solid #dc2626',
      },
    },
    h('div', { lang: 'ja-JP', style: { display: 'flex', fontSize: 54, fontWeight: 700, lineHeight: 1.3 } }, post.title),
    h('div', { style: { display: 'flex', fontSize: 36, lineHeight: 1.4, color: '#374151', direction: 'rtl', textAlign: 'right' } }, post.subtitle),
    h('div', { lang: 'ja-JP', style: { display: 'flex', fontSize: 28, color: '#6b7280' } }, post.author),
  );

export const REPO = {
  name: 'og-edge/og-edge',
  description: 'Open Graph images at the edge: generateImageMetadata and ImageResponse on Cloudflare Workers',
  stats: [
    ['Stars', '12.4k'],
    ['Forks', '1,031'],
    ['Issues', '87'],
    ['Pull requests', '23'],
    ['Contributors', '214'],
    ['Releases', '56'],
    ['Commits', '8,902'],
    ['License', 'MIT'],
  ],
};

/** A repository card: name, description, and a grid of bordered stat boxes. */
export const statsCard = (h, repo) =>
  h(
    'div',
    { style: { width: '100%', height: '100%', display: 'flex', flexDirection: 'column', padding: 56, gap: 28, background: '#ffffff', color: '#0f172a' } },
    h('div', { style: { display: 'flex', fontSize: 52, fontWeight: 700 } }, repo.name),
    h('div', { style: { display: 'flex', fontSize: 28, color: '#475569', lineHeight: 1.3 } }, repo.description),
    h(
      'div',
      { style: { display: 'flex', flexWrap: 'wrap', gap: 20 } },
      ...repo.stats.map(([label, value]) =>
        h(
          'div',
          {
            style: {
              display: 'flex',
              flexDirection: 'column',
              width: 254,
              padding: '16px 20px',
              border: '2px solid #e2e8f0',
              borderRadius: 16,
              background: '#f8fafc',
            },
          },
          h('div', { style: { display: 'flex', fontSize: 22, color: '#64748b' } }, label),
          h('div', { style: { display: 'flex', fontSize: 40, fontWeight: 700 } }, value),
        ),
      ),
    ),
  );

/** Every character the Chinese card draws besides the date (which is Latin). */
export const ZH_TEXT = [ZH_POST.title, ZH_POST.author, ZH_POST.tag].join('');
/** The same for the Japanese + Arabic card. */
export const INTL_TEXT = [INTL_POST.title, INTL_POST.author].join('');

/** Every emoji grapheme the emoji card draws. */
export const EMOJI_TEXT = [EMOJI_POST.title, EMOJI_POST.tag, '👍❤️😂👀🙌'].join('');

/** Rows of [label, text] on one card: the samples of every shipped script and emoji set. */
export const samplesCard = (h, rows) =>
  h(
    'div',
    { style: { width: '100%', height: '100%', display: 'flex', flexDirection: 'column', justifyContent: 'center', padding: 48, gap: 14, background: '#fffbeb', color: '#1c1917' } },
    rows.map(([label, text]) =>
      h(
        'div',
        { style: { display: 'flex', alignItems: 'baseline', gap: 24 } },
        h('div', { style: { width: 170, fontSize: 22, color: '#78716c' } }, label),
        h('div', { style: { fontSize: 40 } }, text),
      ),
    ),
  );

/** The scripts and symbols of the fonts shipped as static assets, by card (test/golden.test.ts, bench --memory). */
export const SCRIPT_SAMPLES = {
  // Conjuncts and vowel signs.
  indic: [
    ['Bengali', 'বাংলা ভাষা ক্ষ'],
    ['Tamil', 'தமிழ் மொழி க்ஷ'],
    ['Telugu', 'తెలుగు భాష'],
    ['Kannada', 'ಕನ್ನಡ ಭಾಷೆ'],
    ['Malayalam', 'മലയാളം ഭാഷ'],
    ['Gujarati', 'ગુજરાતી ભાષા'],
    ['Gurmukhi', 'ਪੰਜਾਬੀ ਭਾਸ਼ਾ'],
    ['Sinhala', 'සිංහල භාෂාව'],
  ],
  other: [
    ['Khmer', 'ភាសាខ្មែរ'],
    ['Lao', 'ພາສາລາວ'],
    ['Myanmar', 'မြန်မာဘာသာ'],
    ['Georgian', 'ქართული ენა'],
    ['Armenian', 'Հայերեն լեզու'],
    ['Ethiopic', 'ግዕዝ አማርኛ'],
  ],
  // Noto Sans Symbols, Symbols 2 and Math.
  symbols: [['Marks', '✓ ✗ ★ ☆ ♠ ♥ ☂ ☯'], ['Arrows', '→ ← ↑ ↓ ⇒ ⇧ ↺ ➜'], ['Keys', '⌘ ⌥ ⌃ ⏎ ⌫'], ['Math', '∞ ≠ ≤ √ ∑ ∫ ∂ ∇'], ['Letters', '𝔸 𝔹 ℂ 𝒜 𝓑 𝕏']],
};

/** What a card per emoji set draws: ZWJ sequences, skin tones, flags and keycaps; the set's name labels the first row. */
export const emojiSamples = (set) =>
  ['👩‍💻 ❤️‍🔥 🏳️‍🌈 🧑🏽‍🚀', '👋🏻 👋🏽 👋🏿 🤙🏾', '🇯🇵 🇧🇷 🇺🇦 🏴‍☠️', '#️⃣ 1️⃣ 🔟 ©️ ™️'].map((text, i) => [i === 0 ? set : '', text]);

/**
 * A JPEG data: URL made a different file for `tag` (a comment segment after
 * its start marker), with the same pixels: a post's own cover photo, which
 * no renderer has drawn before. Plain strings, for Node and workerd alike.
 */
export function ownPhoto(dataUrl, tag) {
  const comma = dataUrl.indexOf(',') + 1;
  const jpeg = atob(dataUrl.slice(comma));
  const text = String(tag).slice(0, 200);
  const length = text.length + 2;
  return dataUrl.slice(0, comma) + btoa(`${jpeg.slice(0, 2)}\xff\xfe${String.fromCharCode(length >> 8, length & 255)}${text}${jpeg.slice(2)}`);
}

/**
 * key → { label, width, height, element(h, assets, tag) }; `assets.photo` is
 * the photo's src. Fonts per card: bench/fonts.mjs `cardFonts`. (The icon and
 * the Chinese card of earlier runs are left out: the Japanese + Arabic card
 * covers CJK, and an icon costs too little to compare.)
 */
export const CARDS = {
  blog: { label: 'blog card (shared gradient) 1200×630', width: 1200, height: 630, element: (h) => blogCard(h, BLOG_POST) },
  gradient: {
    label: 'per-post gradient 1200×630',
    width: 1200,
    height: 630,
    // `tag` names the request: each draws another post's hue (the route takes it from the slug `gradient-<tag>`).
    element: (h, _assets, tag = '0') => gradientCard(h, GRADIENT_POST, hueOf(`gradient-${tag}`)),
  },
  photo: { label: 'photo 1200×630', width: 1200, height: 630, element: (h, a) => photoCard(h, PHOTO_POST, a.photo) },
  cover: {
    label: 'per-post cover photo 1200×630',
    width: 1200,
    height: 630,
    // The photo card with each post's own photo: the same JPEG made unique per request (nothing can reuse a decode).
    element: (h, a, tag = '0') => photoCard(h, PHOTO_POST, ownPhoto(a.photo, `cover-${tag}`)),
  },
  emoji: { label: 'emoji-heavy title 1200×630', width: 1200, height: 630, element: (h) => emojiCard(h, EMOJI_POST) },
  intl: { label: 'Japanese + Arabic title 1200×630', width: 1200, height: 630, element: (h) => intlCard(h, INTL_POST) },
  stats: { label: 'stats card, 8 bordered boxes 1200×630', width: 1200, height: 630, element: (h) => statsCard(h, REPO) },
};
