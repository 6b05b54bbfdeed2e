// Every error the service answers is JSON `{ error: { code, message } }`,
// `no-store` (see app.ts onError), and never enters a cache tier.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'route_error'
  | 'render_error'
  | 'limit_exceeded'
  | 'timeout'
  | 'client_closed'
  | 'rate_limited'
  | 'image_fetch_failed'
  | 'bad_gateway'
  | 'loop_detected'
  | 'internal_error';

export interface ServiceErrorOptions {
  cause?: unknown;
  /**
   * What production answers instead of `message`, when the message carries
   * text from a route module (an exception's message, say a D1 error with a
   * table name): the detail goes to the log under a reference id only.
   */
  publicMessage?: string;
  /** A route's own Cache-Control for this error; otherwise `no-store`. */
  cacheControl?: string;
  /** The variable of the declared limit a card went over (`limit_exceeded`), for the log line. */
  limit?: string;
}

export class ServiceError extends Error {
  readonly publicMessage?: string;
  readonly cacheControl?: string;
  readonly limit?: string;
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    options: ServiceErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ServiceError';
    this.publicMessage = options.publicMessage;
    this.cacheControl = options.cacheControl;
    this.limit = options.limit;
  }
}

/** 500 `limit_exceeded`: the card asks for more than the limit `variable` allows. */
export const limitExceeded = (segment: string, message: string, variable: string) =>
  new ServiceError(500, 'limit_exceeded', `route "${segment}": ${message} (${variable})`, { limit: variable });

/**
 * A declared limit went over where the route is not known (the renderer);
 * the route layer answers it as limitExceeded.
 */
export class OverLimit extends Error {
  constructor(
    readonly detail: string,
    readonly variable: string,
  ) {
    super(`${detail} (${variable})`);
    this.name = 'OverLimit';
  }
}

export const badRequest = (message: string) => new ServiceError(400, 'bad_request', message);
export const notFound = (message: string) => new ServiceError(404, 'not_found', message);
/** A route module misbehaved: the message names the segment and the fault. */
export const routeError = (segment: string, message: string, cause?: unknown) =>
  new ServiceError(500, 'route_error', `route "${segment}": ${message}`, { cause });

/** A fault whose message quotes a route's own text: generic in production. */
export const privateRouteError = (code: ErrorCode, segment: string, stage: string, detail: string, cause?: unknown) =>
  new ServiceError(500, code, `route "${segment}": ${stage}: ${detail}`, { cause, publicMessage: `route "${segment}": ${stage}` });

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
  return privateRouteError('route_error', segment, `${what} threw`, reasonOf(e), e);
}

export const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Any thrown value as the ServiceError the client is answered with. */
export const asServiceError = (err: unknown) =>
  err instanceof ServiceError ? err : new ServiceError(500, 'internal_error', reasonOf(err), { cause: err, publicMessage: 'internal error' });

/**
 * The JSON body for an error. In production a message that quotes a route
 * (or an unexpected exception) is replaced by a generic one naming
 * `reference`, the id its log line carries; development shows the detail.
 */
export function errorBody(err: unknown, dev: boolean, reference?: string) {
  const e = asServiceError(err);
  let message = e.message;
  if (!dev && e.publicMessage !== undefined) message = reference ? `${e.publicMessage}; reference ${reference}` : e.publicMessage;
  const body: { error: { code: ErrorCode; message: string; stack?: string } } = {
    error: { code: e.code, message },
  };
  if (dev) {
    const source = e.cause instanceof Error ? e.cause : e;
    body.error.stack = source.stack;
  }
  return { status: e.status, body };
}
