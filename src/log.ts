// Structured logs: one JSON object per line, which Workers Logs
// ([observability] in wrangler.toml) indexes field by field. One line per
// image request served and one per error; nothing else logs on the hot path.
export type LogLevel = 'info' | 'warn' | 'error';

export interface LogFields {
  /** What happened: `image`, `error`, `cache_error`… */
  event: string;
  [field: string]: unknown;
}

export function log(level: LogLevel, fields: LogFields) {
  const line = JSON.stringify({ level, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

/** A short id an error body names so an operator can find its log line. */
export const newReference = () => crypto.randomUUID().replaceAll('-', '').slice(0, 12);
