/** @jsxImportSource hono/jsx */
// The gallery page, server-rendered with Hono's JSX (this file's pragma;
// route files use satori's). No front-end build: one inline stylesheet and a
// few lines of script for the copy buttons.
import type { PageImage } from '../pages/page';
import type { GalleryPage, GallerySegment } from './data';
import { PREVIEW_CSS, PREVIEW_SCRIPT, Previews } from './previews';

/** Live reload in development: where to poll, and the build this page shows. */
export interface LiveReload {
  path: string;
  build: string;
}

// Polls the build id once a second (recursive, so polls never pile up) and
// reloads when it changes; a failed poll (wrangler rebuilding) just waits.
const liveScript = ({ path, build }: LiveReload) => `
(() => {
  const poll = async () => {
    try {
      const res = await fetch(${JSON.stringify(path)}, { cache: 'no-store' });
      if (res.ok && (await res.json()).build !== ${JSON.stringify(build)}) return location.reload();
    } catch {}
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
})();
`;

const CSS = `
:root{--bg:#f6f7fb;--fg:#0f172a;--muted:#5b6474;--card:#fff;--line:#e3e7ee;--accent:#6d28d9;--accent-soft:#ede9fe;--code-bg:#0f172a;--code-fg:#e2e8f0;--bad:#b42318;--bad-soft:#fef3f2;
  font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
@media (prefers-color-scheme:dark){:root{--bg:#0b0f17;--fg:#e5e7eb;--muted:#9aa3b2;--card:#111827;--line:#1f2937;--accent:#a78bfa;--accent-soft:#2e1065;--code-bg:#020617;--bad:#fda29b;--bad-soft:#2a1211}}
*{box-sizing:border-box}
body{margin:0;line-height:1.5}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.wrap{max-width:1160px;margin:0 auto;padding:0 24px}
header.top{background:var(--card);border-bottom:1px solid var(--line);padding:28px 0 20px}
header.top h1{margin:0;font-size:26px;letter-spacing:-.01em}
header.top h1 span{color:var(--muted);font-weight:500}
header.top p{margin:6px 0 14px;color:var(--muted);max-width:70ch}
nav.segments{display:flex;flex-wrap:wrap;gap:8px}
nav.segments a{padding:4px 12px;border-radius:999px;background:var(--accent-soft);font-size:14px;font-weight:600}
main{padding:8px 0 64px}
section.segment{margin-top:36px}
.seg-head{display:flex;flex-wrap:wrap;align-items:center;gap:12px 16px;margin-bottom:14px}
.seg-head h2{margin:0;font-size:22px}
.badge{font-size:13px;color:var(--muted)}
form.try{margin-left:auto;display:flex;gap:6px}
form.try input{font:inherit;font-size:14px;padding:6px 10px;border:1px solid var(--line);border-radius:8px;background:var(--card);color:var(--fg);width:180px}
button{font:inherit;font-size:14px;font-weight:600;padding:6px 12px;border-radius:8px;border:1px solid var(--line);background:var(--card);color:var(--fg);cursor:pointer}
button:hover{border-color:var(--accent);color:var(--accent)}
button[data-state=copied]{background:var(--accent);border-color:var(--accent);color:#fff}
article.page{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:18px 20px;margin-bottom:18px}
.page-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 16px;margin-bottom:14px}
.page-head h3{margin:0;font-size:16px;font-weight:600}
.page-head .links{display:flex;gap:12px;font-size:14px}
.images{display:flex;flex-wrap:wrap;gap:18px;margin-bottom:16px}
figure.image{margin:0;display:flex;flex-direction:column;gap:8px;min-width:0;max-width:100%}
.frame{display:flex;align-items:center;justify-content:center;border-radius:10px;overflow:hidden;border:1px solid var(--line)}
figure.image{width:calc(220px * var(--w) / var(--h))}
figure.image[data-kind=icon],figure.image[data-kind=apple-icon]{width:220px}
.frame img.image{height:220px;width:100%;display:block}
.frame.icon{height:220px;background-color:#fff;background-image:linear-gradient(45deg,#eef0f4 25%,transparent 25%,transparent 75%,#eef0f4 75%),linear-gradient(45deg,#eef0f4 25%,transparent 25%,transparent 75%,#eef0f4 75%);background-size:16px 16px;background-position:0 0,8px 8px}
.frame img.icon{display:block}
figcaption{font-size:13px;color:var(--muted);display:flex;flex-wrap:wrap;gap:2px 10px}
figcaption strong{color:var(--fg)}
figcaption .alt{flex-basis:100%;margin:0}
.tags-head{display:flex;align-items:center;justify-content:space-between;gap:12px;margin-bottom:6px;font-size:13px;color:var(--muted)}
pre.tags{margin:0;padding:12px 14px;border-radius:10px;background:var(--code-bg);color:var(--code-fg);font-size:12.5px;line-height:1.6;overflow-x:auto;white-space:pre}
.error{background:var(--bad-soft);color:var(--bad);border-radius:10px;padding:10px 14px;font-size:14px}
.error code{font-weight:700}
.empty{color:var(--muted)}
@media (max-width:720px){
  .wrap{padding:0 14px}
  header.top h1{font-size:22px}
  form.try{margin-left:0;width:100%}
  form.try input{flex:1;width:auto}
  article.page{padding:14px}
  figure.image,figure.image[data-kind=icon],figure.image[data-kind=apple-icon]{width:100%}
  .frame img.image{height:auto}
  .frame.icon{height:120px}
  pre.tags{font-size:11.5px}
}
`;

// Copy buttons: the Clipboard API where the page is a secure context
// (localhost is), a selected textarea where it is not.
const SCRIPT = `
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-copy]');
  if (!button) return;
  const text = document.getElementById(button.dataset.copy).textContent;
  let ok = false;
  try { await navigator.clipboard.writeText(text); ok = true; } catch {}
  if (!ok) {
    const area = Object.assign(document.createElement('textarea'), { value: text });
    document.body.append(area); area.select();
    try { ok = document.execCommand('copy'); } catch {}
    area.remove();
  }
  button.textContent = ok ? 'Copied' : 'Copy failed';
  button.dataset.state = ok ? 'copied' : 'failed';
  clearTimeout(button._t);
  button._t = setTimeout(() => { button.textContent = 'Copy'; delete button.dataset.state; }, 2000);
});
`;

function Image({ image, label }: { image: PageImage; label: string }) {
  const { width, height } = image.size;
  const icon = image.kind !== 'image';
  return (
    <figure class="image" data-kind={image.kind} style={`--w:${width};--h:${height}`}>
      <a class={icon ? 'frame icon' : 'frame'} href={image.url} title={`Open ${label}`}>
        <img
          class={icon ? 'icon' : 'image'}
          src={image.url}
          width={width}
          height={height}
          alt={image.alt}
          loading="lazy"
          decoding="async"
          data-width={width}
          data-height={height}
        />
      </a>
      <figcaption>
        <strong>{String(image.id)}</strong>
        <span>
          {width}×{height}
        </span>
        <span>{image.contentType}</span>
        <span>{image.kind === 'image' ? 'card' : image.kind}</span>
        {image.alt ? <p class="alt">alt: “{image.alt}”</p> : <p class="alt">no alt text</p>}
      </figcaption>
    </figure>
  );
}

function Page({ page, tagsId }: { page: GalleryPage; tagsId: string }) {
  const base = `/${page.segment}/${encodeURIComponent(page.slug)}`;
  const name = `${page.segment}/${page.slug}`;
  return (
    <article class="page" data-page={name}>
      <div class="page-head">
        <h3>
          <code>{name}</code>
        </h3>
        <div class="links">
          <a href={`${base}/metadata`}>metadata JSON</a>
          <a href={`${base}/metadata?format=html`}>tags</a>
        </div>
      </div>
      {page.error ? (
        <div class="error" role="alert">
          <code>
            {page.error.status} {page.error.code}
          </code>{' '}
          {page.error.message}
        </div>
      ) : (
        <>
          <div class="images">
            {page.images.map((image) => (
              <Image image={image} label={`${name} ${image.id}`} />
            ))}
          </div>
          <Previews tags={page.tags} fallbackTitle={name} />
          <div class="tags-head">
            <span>
              Put in the page’s <code>&lt;head&gt;</code>
            </span>
            <button type="button" data-copy={tagsId}>
              Copy
            </button>
          </div>
          <pre class="tags" id={tagsId}>
            {page.tags}
          </pre>
        </>
      )}
    </article>
  );
}

export function GalleryDocument({ segments, filtered, live }: { segments: GallerySegment[]; filtered: boolean; live?: LiveReload }) {
  let n = 0;
  const pages = segments.reduce((sum, s) => sum + s.pages.length, 0);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>og-edge gallery</title>
        <style dangerouslySetInnerHTML={{ __html: CSS + PREVIEW_CSS }} />
      </head>
      <body>
        <header class="top">
          <div class="wrap">
            <h1>
              og-edge <span>gallery</span>
            </h1>
            <p>
              {segments.length} segment{segments.length === 1 ? '' : 's'}, {pages} page{pages === 1 ? '' : 's'}. Every image
              is served by this Worker at its versioned URL; under each page are the tags to put in its{' '}
              <code>&lt;head&gt;</code>.{filtered ? ' ' : ''}
              {filtered ? <a href="/">Show every segment</a> : null}
            </p>
            <nav class="segments" aria-label="Segments">
              {segments.map((s) => (
                <a href={`#segment-${s.segment}`}>/{s.segment}</a>
              ))}
            </nav>
          </div>
        </header>
        <main class="wrap">
          {segments.length === 0 ? <p class="empty">No segments: add a file to routes/.</p> : null}
          {segments.map((s) => (
            <section class="segment" id={`segment-${s.segment}`}>
              <div class="seg-head">
                <h2>/{s.segment}</h2>
                <span class="badge">
                  {filtered ? 'one slug' : s.declared ? `${s.pages.length} example${s.pages.length === 1 ? '' : 's'}` : 'no examples export'}
                </span>
                <form class="try" method="get" action="/">
                  <input type="hidden" name="segment" value={s.segment} />
                  <input name="slug" placeholder="try a slug" value={filtered ? s.pages[0]?.slug : undefined} aria-label={`Slug for /${s.segment}`} required />
                  <button type="submit">Show</button>
                </form>
              </div>
              {s.pages.map((page) => (
                <Page page={page} tagsId={`tags-${++n}`} />
              ))}
            </section>
          ))}
        </main>
        <script dangerouslySetInnerHTML={{ __html: SCRIPT + PREVIEW_SCRIPT + (live ? liveScript(live) : '') }} />
      </body>
    </html>
  );
}

/** The whole document, as text. */
export function renderGallery(segments: GallerySegment[], filtered: boolean, live?: LiveReload): string {
  return '<!doctype html>' + String(<GalleryDocument segments={segments} filtered={filtered} live={live} />);
}
