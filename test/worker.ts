// The Worker under test: the real app over routes/ plus the test fixtures.
import { createApp } from '../src/app';
import { registry } from '../src/generated/routes';
import { registry as fixtures } from './generated/fixtures';

export default createApp({ ...registry, ...fixtures });
