// Crawling the navigation: every same-origin page a role can reach by following links, so pages
// added later are checked without listing them here.
'use strict';

/** Links not to follow: leaving the app, downloads, the API, assets. (Logout is a form, not a link.) */
function skip(url) {
  const p = url.pathname;
  return (
    /\.(csv|xlsx|json|css|js|png)$/.test(p) ||
    /\/export$/.test(p) ||
    p.startsWith('/api/') ||
    p.startsWith('/static/') ||
    p === '/logout'
  );
}

/** `/members/12/edit` → `/members/{id}/edit`: pages of one kind are checked a few times, not all. */
function pattern(url) {
  return url.pathname.replace(/\/\d+(?=\/|$)/g, '/{id}');
}

/**
 * Visits pages breadth-first from `start`, calling `visit(page, url)` on each. At most
 * `perPattern` pages per path pattern (queries ignored) and `max` pages in all.
 */
async function crawl(page, start, visit, { perPattern = 2, max = 60 } = {}) {
  const origin = new URL(page.url()).origin;
  const queue = [new URL(start, origin)];
  const seen = new Set();
  const perPat = new Map();
  const visited = [];
  while (queue.length && visited.length < max) {
    const url = queue.shift();
    const key = url.pathname + url.search;
    if (seen.has(key)) continue;
    seen.add(key);
    const pat = pattern(url);
    if ((perPat.get(pat) || 0) >= perPattern) continue;
    perPat.set(pat, (perPat.get(pat) || 0) + 1);
    const resp = await page.goto(url.href);
    visited.push({ url: key, status: resp ? resp.status() : 0 });
    await visit(page, key, resp);
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href));
    for (const h of hrefs) {
      const u = new URL(h);
      u.hash = '';
      if (u.origin !== origin || skip(u)) continue;
      if (!seen.has(u.pathname + u.search)) queue.push(u);
    }
  }
  return visited;
}

module.exports = { crawl, pattern };
