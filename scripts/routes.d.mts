export const SEGMENT_NAME: RegExp;
export function scanRoutes(dir: string): { segment: string; file: string }[];
export function generateRegistry(options: { dir: string; out: string; service?: string[] }): { segment: string; file: string }[];
export function scanAssets(file: string): string[];
