// One card in many languages: /intl/<language>/image/og. Text in every
// script, emoji (skin tones, ZWJ sequences, flags) and a local image
// (public/images/globe.svg), all drawn from what the deployment ships: fonts
// and emoji come from the static assets, never from a third party.
// /intl/all/image/og shows every language on one card.
import { ImageResponse } from 'next/og';
import { notFound } from 'next/navigation';
import type { JSX } from 'satori/jsx/jsx-runtime';
import type { ImageProps, MetadataProps } from '../src/types';

interface Language {
  name: string;
  /** satori's language code, so Han characters get the right glyph forms. */
  lang?: string;
  rtl?: boolean;
  title: string;
  tagline: string;
  flag: string;
}

export const LANGUAGES: Record<string, Language> = {
  en: { name: 'English', title: 'Hello, world!', tagline: 'Cards in every script, from the edge', flag: '🇬🇧' },
  'zh-hans': { name: '简体中文', lang: 'zh-CN', title: '你好，世界！', tagline: '每一种文字的卡片，来自边缘', flag: '🇨🇳' },
  'zh-hant': { name: '繁體中文', lang: 'zh-TW', title: '你好，世界！', tagline: '每一種文字的卡片，來自邊緣', flag: '🇹🇼' },
  ja: { name: '日本語', lang: 'ja-JP', title: 'こんにちは、世界！', tagline: 'すべての文字のカードをエッジから', flag: '🇯🇵' },
  ko: { name: '한국어', lang: 'ko-KR', title: '안녕하세요, 세계!', tagline: '모든 문자의 카드를 엣지에서', flag: '🇰🇷' },
  ar: { name: 'العربية', rtl: true, title: 'مرحبا بالعالم!', tagline: 'بطاقات بكل الخطوط من الحافة', flag: '🇸🇦' },
  he: { name: 'עברית', rtl: true, title: 'שלום עולם!', tagline: 'כרטיסים בכל כתב, מהקצה', flag: '🇮🇱' },
  hi: { name: 'हिन्दी', title: 'नमस्ते दुनिया!', tagline: 'हर लिपि में कार्ड, एज से', flag: '🇮🇳' },
  th: { name: 'ไทย', title: 'สวัสดีชาวโลก!', tagline: 'การ์ดในทุกอักษร จากเอดจ์', flag: '🇹🇭' },
};

/** What the gallery and `npm run render` show: every language, and all on one card. */
export const examples = ['all', ...Object.keys(LANGUAGES)];

/** Emoji that exercise the hard cases: a skin tone, ZWJ sequences, one with U+FE0F. */
const EMOJI = '👋🏽 👩‍💻 🏳️‍🌈 ❤️‍🔥 ✨';

export function generateImageMetadata({ params }: MetadataProps) {
  const language = LANGUAGES[params.slug];
  if (params.slug === 'all') return [{ id: 'og', alt: 'Hello, world! in nine languages', size: { width: 1200, height: 630 } }];
  if (!language) notFound();
  return [{ id: 'og', alt: `${language.title} ${language.tagline}`, size: { width: 1200, height: 630 } }];
}

const frame = (children: JSX.Element) => (
  <div
    style={{
      width: '100%',
      height: '100%',
      display: 'flex',
      flexDirection: 'column',
      padding: 64,
      background: 'linear-gradient(135deg, #0c4a6e 0%, #164e63 50%, #134e4a 100%)',
      color: '#f0f9ff',
    }}
  >
    {children}
  </div>
);

function languageCard(l: Language) {
  return frame(
    <>
      <div style={{ display: 'flex', alignItems: 'center', gap: 20, fontSize: 32, color: '#bae6fd' }}>
        <img src="/images/globe.svg" width={64} height={64} />
        <span style={{ fontWeight: 700 }}>og-edge</span>
        <span lang={l.lang}>· {l.name}</span>
        <span style={{ marginLeft: 'auto', fontSize: 48 }}>{l.flag}</span>
      </div>
      <div
        lang={l.lang}
        style={{
          display: 'flex',
          flexDirection: 'column',
          flexGrow: 1,
          justifyContent: 'center',
          // In a right-to-left block, the start (flex-start) is the right.
          alignItems: 'flex-start',
          direction: l.rtl ? 'rtl' : 'ltr',
          gap: 24,
        }}
      >
        <div style={{ display: 'flex', fontSize: 96, fontWeight: 700 }}>{l.title}</div>
        <div style={{ display: 'flex', fontSize: 48 }}>{l.tagline}</div>
      </div>
      <div style={{ display: 'flex', fontSize: 56 }}>{EMOJI}</div>
    </>,
  );
}

function allCard() {
  return frame(
    <>
      <div style={{ display: 'flex', alignItems: 'center', gap: 20, fontSize: 32, color: '#bae6fd', marginBottom: 16 }}>
        <img src="/images/globe.svg" width={56} height={56} />
        <span style={{ fontWeight: 700 }}>og-edge · Hello, world!</span>
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '18px 40px', fontSize: 44, fontWeight: 700 }}>
        {Object.values(LANGUAGES).map((l) => (
          <div lang={l.lang} style={{ display: 'flex', gap: 14 }}>
            <span>{l.flag}</span>
            <span>{l.title}</span>
          </div>
        ))}
      </div>
      <div style={{ display: 'flex', marginTop: 'auto', fontSize: 48 }}>{EMOJI}</div>
    </>,
  );
}

export default async function Image({ params }: ImageProps) {
  const { slug } = await params;
  if (slug === 'all') return new ImageResponse(allCard());
  const language = LANGUAGES[slug];
  if (!language) notFound();
  return new ImageResponse(languageCard(language));
}
