// `url` / `node:url` for route modules: the file-URL helpers Next.js image
// files use to find their own folder (fileURLToPath(import.meta.url)).
export function fileURLToPath(url: string | URL): string {
  const u = new URL(String(url));
  if (u.protocol !== 'file:') throw new TypeError(`The URL must be of scheme file: ${String(url)}`);
  return decodeURIComponent(u.pathname);
}

export function pathToFileURL(path: string): URL {
  return new URL(`file://${path.startsWith('/') ? '' : '/'}${path.split('/').map(encodeURIComponent).join('/')}`);
}

export const URL_ = URL;
export { URL_ as URL };
export default { fileURLToPath, pathToFileURL, URL };
