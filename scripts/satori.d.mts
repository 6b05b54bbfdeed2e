export function transformSatori(options?: { outDir?: string; root?: string; quiet?: boolean; source?: string; skip?: string[] }): {
  version: string;
  outDir: string;
  cached?: boolean;
  harfbuzzBytes?: number;
  trampolineSigs?: string[];
  trampolineBytes?: number;
};
