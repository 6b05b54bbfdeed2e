// `notFound()` from `next/navigation`: a route module calls it for a slug it
// does not know, and the service answers 404.
import { NOT_FOUND_SIGNAL } from '../../errors';

export function notFound(): never {
  throw Object.assign(new Error('NEXT_NOT_FOUND'), { digest: NOT_FOUND_SIGNAL });
}
