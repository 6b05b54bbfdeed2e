// Files tests import through vite's asset handling: `?inline` gives a data: URL.
declare module '*?inline' {
  const url: string;
  export default url;
}
