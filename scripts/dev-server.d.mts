export const ROOT: string;
/** Migrates (and seeds) the local D1 databases wrangler.toml binds; resolves to what it did, in words. */
export function prepareLocalD1(options?: { cwd?: string; persistTo?: string; seed?: boolean; quiet?: boolean }): Promise<string>;
export function freePort(): Promise<number>;
export interface DevServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  log(): string;
}
export function startDevServer(options?: {
  cwd?: string;
  persistTo?: string;
  vars?: Record<string, string>;
  timeoutMs?: number;
}): Promise<DevServer>;
