// Links written for the classic Redoc page keep working on the rendered docs. Classic Redoc named
// a documentation section `#section/Errors` (and a heading inside it `#section/Errors/Status-codes`);
// this page routes by `#/errors` and `#/errors/status-codes`. Operation links of both styles
// (`#tag/Sandboxes/operation/createSandbox`, `#operation/createSandbox`) the page maps itself.

/** `section/Errors/Status-codes` → `/errors/status-codes`; undefined for any other hash. */
export function legacySectionRoute(hash: string): string | undefined {
  const m = /^#?section\/(.+)$/.exec(hash);
  if (!m) return undefined;
  const parts = m[1]!.split('/').map((p) => decodeURIComponent(p).trim().toLowerCase().replace(/[\s_]+/g, '-'));
  return `/${parts.join('/')}`;
}

/**
 * A script for the page's <head>, run before the page reads its address: rewrites a classic
 * section hash in place (no new history entry) at load, and replaces one followed later.
 */
export function legacyAnchorScript(): string {
  const route = legacySectionRoute.toString();
  return `<script>(function () {
  var legacySectionRoute = ${route};
  var to = legacySectionRoute(location.hash.slice(1));
  if (to) history.replaceState(history.state, '', '#' + to);
  // Later, a real navigation, so that the page's router sees the new address.
  window.addEventListener('hashchange', function () {
    var later = legacySectionRoute(location.hash.slice(1));
    if (later) location.replace('#' + later);
  });
})();</script>`;
}
