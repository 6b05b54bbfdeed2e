// App icons, as in the Next.js generateImageMetadata example: two sizes of
// one icon. /icon/<name>/metadata lists them; the icon shows the name's
// first letter.
import { ImageResponse } from 'next/og';
import type { ImageProps, MetadataProps } from '../src/types';

const SIZES = { small: 48, medium: 72 } as const;

/** Names the gallery and `npm run render -- icon` show. */
export const examples = ['acme', 'og-edge', 'zebra'];
/** Favicons: a page links them with <link rel="icon">. */
export const kind = 'icon';

export function generateImageMetadata(_: MetadataProps) {
  return Object.entries(SIZES).map(([id, px]) => ({
    id,
    contentType: 'image/png',
    size: { width: px, height: px },
    alt: `${id} icon`,
  }));
}

export default function Icon({ id, params }: ImageProps) {
  const px = SIZES[id as keyof typeof SIZES];
  const letter = ([...params.slug][0] ?? '?').toUpperCase();
  return new ImageResponse(
    <div
      style={{
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
      }}
    >
      {letter}
    </div>,
  );
}
