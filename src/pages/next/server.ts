// Next.js 13 exported ImageResponse from `next/server` (the seed's example does).
export { ImageResponse, type ImageResponseOptions } from '../image-response';
