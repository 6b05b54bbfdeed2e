// The Worker: the app over the registry generated from routes/.
import { createApp } from './app';
import { installAssets } from './pages/next/files';
import { assets, registry } from '../generated/routes';

installAssets(assets);

export default createApp(registry);
