// `import type { Metadata } from 'next'` in a copied image file: types only
// (erased when bundled), loose on purpose, so such a file type-checks here.
export type Metadata = Record<string, any>;
export type ResolvingMetadata = Promise<Metadata>;
export type Viewport = Record<string, any>;
export type MetadataRoute = Record<string, any>;
