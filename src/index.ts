// The Worker: the app over the registry generated from routes/.
import { createApp } from './app';
import { registry } from './generated/routes';

export default createApp(registry);
