// Screenshots of the main pages at 1366×768 (and the front-desk screens on a 768-px tablet,
// which must not scroll sideways). Saved to $GAJOK_E2E_SCREENSHOTS (docs/screenshots for the
// README) or e2e/test-results/screenshots.
'use strict';
const test = require('node:test');
const fs = require('node:fs');
const path = require('node:path');
const { anOpenDay, harness, newPage, login, mainText, assert, ROOT } = require('../lib/gajok');

const h = harness(test);
const OUT = path.resolve(ROOT, process.env.GAJOK_E2E_SCREENSHOTS || 'e2e/test-results/screenshots');
fs.mkdirSync(OUT, { recursive: true });

async function shot(page, name) {
  // Wait for fonts so Hangul is drawn with the installed Korean font, not a fallback box.
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(OUT, `${name}.png`), type: 'png' });
}

async function noSidewaysScroll(page, what) {
  const { sw, w } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  assert.ok(sw <= w, `${what}: the page is ${sw}px wide in a ${w}px window`);
}

test('login, simulator result', async () => {
  const page = await newPage(h.browser, h.server);
  await page.goto('/login');
  await shot(page, '01-login');
  await page.goto('/simulator/single-parent');
  await page.locator('#f-evaluation_date').fill('2023-06-15');
  await page.locator('#f-family_type').selectOption('single_parent');
  await page.locator('#f-household_size').fill('2');
  await page.locator('#f-recognized_income_month').fill('2000000');
  await page.locator('#f-applicant_relation').selectOption('mother');
  await page.locator('#f-applicant_birth_date').fill('1983-03-02');
  await page.locator('#f-reason_code').selectOption('sp02');
  await page.locator('#f-is_household_head').check();
  await page.locator('[name=child1_birth_date]').fill('2013-01-10');
  await page.locator('[name=child1_school_level]').selectOption('elementary');
  await page.getByRole('button', { name: '계산하기' }).click();
  await page.waitForLoadState('load');
  await page.locator('#sim-result-title').scrollIntoViewIfNeeded();
  await shot(page, '08-simulator-result');
});

test('center manager: dashboard with charts, monthly report', async () => {
  const page = await newPage(h.browser, h.server);
  await login(page, 'manager');
  const text = await mainText(page);
  assert.match(text, /계획 대비 실적 \(연인원\)/);
  assert.match(text, /월별 추이 \(연인원\)/);
  assert.ok((await page.locator('svg.chart').count()) >= 2, 'two SVG charts');
  await shot(page, '02-dashboard');
  await page.goto('/reports/monthly');
  await shot(page, '05-monthly-report');
  // Printed, the report is the table alone: no navigation, no buttons.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('nav.sidenav').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: '제출', exact: true }).isVisible(), false);
  assert.equal(await page.locator('table.report').isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
});

test('staff: members, attendance (desktop and tablet), 나눔터 desk (desktop and tablet)', async () => {
  const page = await newPage(h.browser, h.server);
  await login(page, 'staff');
  await page.goto('/members');
  await shot(page, '03-members');
  const digits = (await page.locator('tbody').innerText()).match(/010-\*{4}-(\d{4})/)[1];
  await page.goto('/programs');
  await page.locator('tbody a[href^="/programs/"]').first().click();
  await page.locator('a.button[href^="/sessions/"]').last().click();
  assert.match(await mainText(page), /출석부/);
  await shot(page, '04-attendance');
  await page.setViewportSize({ width: 768, height: 1024 });
  await noSidewaysScroll(page, 'attendance at 768 px');
  await shot(page, '04-attendance-tablet');
  await page.setViewportSize({ width: 1366, height: 768 });

  // The desk needs a registered space and a family at the desk.
  await page.goto('/nanumteo');
  await page.getByRole('link', { name: '광진 공동육아나눔터 1호점' }).first().click();
  const space = page.url();
  await page.locator('#f-area').fill('80');
  await page.locator('#f-open').fill('00:00');
  await page.locator('#f-close').fill('23:59');
  await page.getByRole('button', { name: '저장' }).click();
  await page.waitForLoadState('load');
  const day = anOpenDay();
  await page.goto(`${space}/desk?date=${day}&q=${digits}`);
  await page.getByRole('button', { name: '입실' }).first().click();
  await page.waitForLoadState('load');
  assert.match(await mainText(page), /입실을 기록했습니다/);
  await page.goto(`${space}/desk?date=${day}&q=${digits}`);
  await page.locator('form.nt-desk-match').first().waitFor();
  await shot(page, '07-desk');
  await page.setViewportSize({ width: 768, height: 1024 });
  await noSidewaysScroll(page, 'desk at 768 px');
  await shot(page, '07-desk-tablet');
});

test('province official: roll-up', async () => {
  const page = await newPage(h.browser, h.server);
  await login(page, 'seoul');
  await page.goto('/reports/rollup');
  await shot(page, '06-rollup');
  const files = fs.readdirSync(OUT).filter((f) => f.endsWith('.png'));
  assert.ok(files.length >= 8, `screenshots in ${OUT}: ${files}`);
});
