// `next/og` resolves here (wrangler.toml [alias], vitest.config.ts, tsconfig
// paths), so a route module copied from a Next.js app works unchanged.
export { ImageResponse, type ImageResponseOptions } from '../image-response';
