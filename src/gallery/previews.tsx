/** @jsxImportSource hono/jsx */
// A page's link as each network shows it, side by side, drawn from the
// page's tag block (networks.ts reads it as a crawler would): each network's
// crop and aspect ratio, its title and domain text, and what it would
// refuse. A refused image is left out of that network's card, as it would be.
import { checkImage, NETWORKS, readTags, type Network, type PreviewImage } from './networks';

export const PREVIEW_CSS = `
.previews{margin:0 0 16px}
.previews h4{margin:0 0 10px;font-size:13px;font-weight:600;color:var(--muted)}
.networks{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:14px}
.net{margin:0;display:flex;flex-direction:column;gap:6px;min-width:0}
.net-name{font-size:12.5px;font-weight:600;display:flex;gap:6px;align-items:center;flex-wrap:wrap}
.net-name .state{margin-left:auto;font-size:11px;font-weight:700;border-radius:999px;padding:1px 8px;background:#dcfce7;color:#166534}
.net[data-status=warn] .state{background:#fef3c7;color:#92400e}
.net[data-status=reject] .state{background:#fee2e2;color:#991b1b}
.net-name .chosen{font-size:11px;font-weight:600;color:var(--accent)}
.net-name .observed{font-size:11px;font-weight:500;color:var(--muted)}
.flags{margin:0;padding:0 0 0 16px;font-size:12px;line-height:1.4}
.flags li.reject{color:#b91c1c}.flags li.warn{color:#a16207}
.flags li.ok{color:var(--muted);list-style:none;margin-left:-16px}
.mock{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#0f1419;background:#fff;overflow:hidden}
.mock .media{display:block;width:100%;background:#e5e7eb center/cover no-repeat}
.net[data-status=reject] .mock .media{display:none}
.mock .t{font-weight:600;font-size:14px;line-height:1.3;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.mock .d{font-size:12.5px;color:#536471;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.m-x-large{border:1px solid #cfd9de;border-radius:16px;position:relative}
.m-x-large .media{aspect-ratio:2/1}
.m-x-large .overlay{position:absolute;left:12px;bottom:12px;background:rgba(0,0,0,.77);color:#fff;font-size:12px;border-radius:4px;padding:0 4px}
.net[data-status=reject] .m-x-large .overlay{position:static;display:block;margin:10px 12px;background:none;color:#536471;padding:0}
.m-x-summary{border:1px solid #cfd9de;border-radius:16px;display:flex;align-items:stretch}
.m-x-summary .media{width:110px;flex:none;aspect-ratio:1/1;border-right:1px solid #cfd9de}
.m-x-summary .text{padding:10px 12px;display:flex;flex-direction:column;justify-content:center;gap:2px;min-width:0}
.m-facebook{border:1px solid #dadde1}
.m-facebook .media{aspect-ratio:1.91/1}
.m-facebook .text{background:#f0f2f5;padding:10px 12px;display:flex;flex-direction:column;gap:2px}
.m-facebook .d{text-transform:uppercase;font-size:12px;color:#65676b}
.m-linkedin{border:1px solid #e0e0e0;border-radius:8px}
.m-linkedin .media{aspect-ratio:1200/627}
.m-linkedin .text{padding:10px 12px;display:flex;flex-direction:column;gap:2px;background:#eef3f8}
.m-slack{border-left:4px solid #dddddd;padding:2px 0 2px 12px;display:flex;flex-direction:column;gap:4px}
.m-slack .site{font-size:12.5px;font-weight:700;color:#1d1c1d}
.m-slack .t{color:#1264a3}
.m-slack .media,.m-discord .media{background-size:contain;background-color:transparent;aspect-ratio:var(--w)/var(--h);border-radius:6px}
.m-slack .media{width:min(100%,calc(200px * var(--w) / var(--h)))}
.m-discord{background:#2b2d31;color:#dbdee1;border-left:4px solid #1e1f22;border-radius:4px;padding:10px 12px;display:grid;grid-template-columns:1fr auto;gap:6px 12px}
.m-discord .site{grid-column:1;font-size:12px;color:#b5bac1}
.m-discord .t{grid-column:1;color:#00a8fc}
.m-discord .media{grid-column:1/-1;width:min(100%,calc(220px * var(--w) / var(--h)))}
.m-discord.thumb .media{grid-column:2;grid-row:1/3;width:80px;height:80px;aspect-ratio:auto}
.m-imessage{background:#e9e9eb;border-radius:18px;max-width:280px}
.m-imessage .media{aspect-ratio:1.91/1}
.m-imessage .text{padding:8px 12px 10px;display:flex;flex-direction:column;gap:1px}
.m-imessage .d{color:#8e8e93}
`;

// The byte limit needs the image itself: fetched once (HEAD, the gallery
// has just loaded it, so it is cached), its Content-Length checked against
// each network's `data-max-bytes`.
export const PREVIEW_SCRIPT = `
(() => {
  const lazy = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      e.target.style.backgroundImage = 'url("' + e.target.dataset.bg.replace(/["\\\\\\n]/g, encodeURIComponent) + '")';
      lazy.unobserve(e.target);
    }
  }, { rootMargin: '200px' });
  for (const el of document.querySelectorAll('.media[data-bg]')) lazy.observe(el);
  const sizes = new Map();
  const mb = (n) => (n / 1048576).toFixed(1) + ' MB';
  for (const group of document.querySelectorAll('.previews[data-image]')) {
    const url = group.dataset.image;
    if (!sizes.has(url)) sizes.set(url, fetch(url, { method: 'HEAD' }).then((r) => Number(r.headers.get('Content-Length')) || 0, () => 0));
    sizes.get(url).then((bytes) => {
      group.dataset.bytes = String(bytes);
      for (const net of group.querySelectorAll('.net[data-max-bytes]')) {
        const max = Number(net.dataset.maxBytes);
        if (!bytes || bytes <= max) continue;
        const li = Object.assign(document.createElement('li'), { className: 'reject', textContent: mb(bytes) + ' is over the ' + mb(max) + ' limit' });
        const list = net.querySelector('.flags');
        list.querySelector('li.ok')?.remove();
        list.append(li);
        net.dataset.status = 'reject';
        net.querySelector('.state').textContent = 'refused';
      }
      group.dataset.checked = 'true';
    });
  }
})();
`;

const STATE = { ok: 'shown', warn: 'shown, but', reject: 'refused' } as const;

/**
 * The image as a CSS background: `cover` where the network crops, `contain`
 * where it scales. Not an <img>: the gallery's images are the page's own
 * items (what its tests count). Set by the script once in view (`data-bg`),
 * so a long gallery does not render every card before `load`, and a refused
 * (hidden) one is never fetched.
 */
function Media({ image, alt }: { image: PreviewImage; alt?: boolean }) {
  return (
    <span
      class="media"
      role="img"
      aria-label={alt && image.alt ? image.alt : 'preview image'}
      data-bg={image.url}
      style={`--w:${image.width || 1};--h:${image.height || 1}`}
    />
  );
}

/** One network's card: the crops and text its own layout gives the link. */
function Mock({ network, image, title, domain, card }: { network: Network; image: PreviewImage; title: string; domain: string; card?: string }) {
  switch (network.id) {
    case 'x-large':
      return (
        <div class="mock m-x-large">
          <Media image={image} alt />
          <span class="overlay">{domain}</span>
        </div>
      );
    case 'x-summary':
      return (
        <div class="mock m-x-summary">
          <Media image={image} alt />
          <div class="text">
            <span class="d">{domain}</span>
            <span class="t">{title}</span>
          </div>
        </div>
      );
    case 'facebook':
    case 'linkedin':
      return (
        <div class={`mock m-${network.id}`}>
          <Media image={image} alt={network.readsAlt} />
          <div class="text">
            {network.id === 'facebook' ? <span class="d">{domain}</span> : null}
            <span class="t">{title}</span>
            {network.id === 'linkedin' ? <span class="d">{domain}</span> : null}
          </div>
        </div>
      );
    case 'slack':
      return (
        <div class="mock m-slack">
          <span class="site">{domain}</span>
          <span class="t">{title}</span>
          <Media image={image} />
        </div>
      );
    case 'discord':
      return (
        <div class={`mock m-discord${card === 'summary_large_image' ? '' : ' thumb'}`}>
          <span class="site">{domain}</span>
          <span class="t">{title}</span>
          <Media image={image} />
        </div>
      );
    case 'imessage':
      return (
        <div class="mock m-imessage">
          <Media image={image} />
          <div class="text">
            <span class="t">{title}</span>
            <span class="d">{domain}</span>
          </div>
        </div>
      );
  }
}

/**
 * The page's link on every network, from its tag block. `fallbackTitle`
 * stands in for og:title, which the page itself (not og-edge) provides.
 */
export function Previews({ tags, fallbackTitle }: { tags: string; fallbackTitle: string }) {
  const { image, card } = readTags(tags);
  if (!image) return null;
  const domain = new URL(image.url).host;
  const title = image.alt || fallbackTitle;
  return (
    <section class="previews" data-image={image.url}>
      <h4>
        As shared: the first <code>og:image</code>, with the alt text standing in for the page’s <code>og:title</code>
      </h4>
      <div class="networks">
        {NETWORKS.map((network) => {
          const flags = checkImage(network, image);
          const status = flags.some((f) => f.level === 'reject') ? 'reject' : flags.length > 0 ? 'warn' : 'ok';
          const chosen = network.id === 'x-large' ? card === 'summary_large_image' : network.id === 'x-summary' ? card === 'summary' : false;
          return (
            <figure class="net" data-network={network.id} data-status={status} data-max-bytes={network.maxBytes}>
              <figcaption class="net-name">
                {network.name}
                {chosen ? <span class="chosen">the tags’ card</span> : null}
                {network.observed ? <span class="observed">layout as observed</span> : null}
                <span class="state">{STATE[status]}</span>
              </figcaption>
              <Mock network={network} image={image} title={title} domain={domain} card={card} />
              <ul class="flags">
                {flags.length === 0 ? <li class="ok">nothing to flag</li> : flags.map((f) => <li class={f.level}>{f.message}</li>)}
              </ul>
            </figure>
          );
        })}
      </div>
    </section>
  );
}
