export const ROOT: string;
export function wranglerEnv(cwd?: string): Record<string, string | undefined>;
export function d1Databases(cwd?: string): { binding: string; migrationsDir: string }[];
export function prepareLocalD1(options?: { cwd?: string; persistTo?: string; seed?: boolean; quiet?: boolean }): Promise<string>;
export function migrateRemote(options?: { cwd?: string }): Promise<string>;
