// The Worker under test: the real app over routes/ plus the test fixtures.
import { createApp } from '../src/app';
import { installAssets } from '../src/pages/next/files';
import { assets, registry } from '../generated/routes';
import { assets as fixtureAssets, registry as fixtures } from './generated/fixtures';

installAssets({ ...assets, ...fixtureAssets });

export default createApp({ files: [...registry.files, ...fixtures.files], pages: [...registry.pages, ...fixtures.pages] });
