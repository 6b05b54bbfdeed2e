// Every error the service answers is JSON `{ error: { code, message } }`,
// `no-store` (see app.ts onError), and never enters a cache tier.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ErrorCode =
  | 'bad_request'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'route_error'
  | 'render_error'
  | 'timeout'
  | 'rate_limited'
  | 'image_fetch_failed'
  | 'bad_gateway'
  | 'loop_detected'
  | 'internal_error';

export class ServiceError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ServiceError';
  }
}

export const badRequest = (message: string) => new ServiceError(400, 'bad_request', message);
export const notFound = (message: string) => new ServiceError(404, 'not_found', message);
/** A route module misbehaved: the message names the segment and the fault. */
export const routeError = (segment: string, message: string, cause?: unknown) =>
  new ServiceError(500, 'route_error', `route "${segment}": ${message}`, { cause });

/** Next.js's `notFound()` throws this; so may any route module. */
export const NOT_FOUND_SIGNAL = 'NEXT_HTTP_ERROR_FALLBACK;404';
const isNotFoundSignal = (e: unknown) =>
  typeof e === 'object' && e !== null && (e as { digest?: unknown }).digest === NOT_FOUND_SIGNAL;

/**
 * Maps anything thrown while calling a route module to a ServiceError: a
 * `notFound()` becomes a 404, any other throw a 500 naming the segment.
 */
export function fromRouteThrow(segment: string, what: string, e: unknown): ServiceError {
  if (e instanceof ServiceError) return e;
  if (isNotFoundSignal(e)) return notFound(`route "${segment}": not found`);
  const reason = e instanceof Error ? e.message : String(e);
  return routeError(segment, `${what} threw: ${reason}`, e);
}

export function errorBody(err: unknown, dev: boolean) {
  const e =
    err instanceof ServiceError
      ? err
      : new ServiceError(500, 'internal_error', dev && err instanceof Error ? err.message : 'internal error', { cause: err });
  const body: { error: { code: ErrorCode; message: string; stack?: string } } = {
    error: { code: e.code, message: e.message },
  };
  if (dev) {
    const source = e.cause instanceof Error ? e.cause : e;
    body.error.stack = source.stack;
  }
  return { status: e.status, body };
}
