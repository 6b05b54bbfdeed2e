// `fs/promises` / `node:fs/promises` for route modules: see ./fs.ts.
import { promises } from './fs';

export const readFile = promises.readFile;
export default promises;
