export const ROOT: string;
export function prepareLocalD1(options?: { cwd?: string; persistTo?: string }): Promise<void>;
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
