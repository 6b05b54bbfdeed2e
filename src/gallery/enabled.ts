// Whether `/` serves the gallery. It lists every segment with example data,
// so it is a development tool: on by default only when ENVIRONMENT is
// `development` (as `npm run dev` sets), and `GALLERY = "on"` / `"off"`
// decides explicitly either way.
import type { Env } from '../types';

export function galleryEnabled(env: Env): boolean {
  const v = typeof env.GALLERY === 'string' ? env.GALLERY.trim().toLowerCase() : '';
  if (['on', 'true', '1', 'yes'].includes(v)) return true;
  if (['off', 'false', '0', 'no'].includes(v)) return false;
  return env.ENVIRONMENT === 'development';
}
