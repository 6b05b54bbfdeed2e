// The Worker the bench runs: the service over routes/ plus the bench's own
// cards (bench/routes/), as test/worker.ts adds the test fixtures.
import { createApp } from '../src/app';
import { installAssets } from '../src/pages/next/files';
import { assets, registry } from '../generated/routes';
import { assets as benchAssets, registry as benchRoutes } from '../generated/bench-routes';

installAssets({ ...assets, ...benchAssets });

export default createApp({ files: [...registry.files, ...benchRoutes.files], pages: [...registry.pages, ...benchRoutes.pages] });
