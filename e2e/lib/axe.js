// axe-core in the page: the WCAG 2.1 A/AA rules and best practices; serious and critical
// findings fail the suite.
'use strict';

const AXE = require.resolve('axe-core');

async function audit(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
}

/** Navigation timing of the current page, in milliseconds. */
async function timing(page) {
  return page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return {
      response: Math.round(n.responseEnd - n.requestStart),
      dom: Math.round(n.domContentLoadedEventEnd - n.startTime),
      load: Math.round(n.loadEventEnd - n.startTime),
    };
  });
}

module.exports = { audit, timing };
