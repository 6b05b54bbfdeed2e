export const SEGMENT_NAME: RegExp;
export const SHIMS: Record<string, string>;
export interface ScannedRoute {
  file: string;
  folder: string[];
  name: string;
  kind: string;
  legacy?: string;
  ext?: string;
  broken?: string;
}
export function scanRoutes(dir: string): { routes: ScannedRoute[]; pages: string[][]; modules: string[] };
export function generateRegistry(options: {
  dir: string;
  out: string;
  service?: string[];
  strict?: boolean;
  log?: (line: string) => void;
}): Promise<{ routes: ScannedRoute[]; pages: string[][]; broken: ScannedRoute[] }>;
export function scanAssets(file: string): string[];
export function imageSize(bytes: Uint8Array, ext: string): { width?: number; height?: number };
