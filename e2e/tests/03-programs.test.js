// A program with weekly sessions (public holidays skipped) and attendance for a whole room, as
// center staff — once with the mouse, once with the keyboard only (Tab, Space, Enter).
'use strict';
const test = require('node:test');
const { pressAndWait, harness, newPage, login, mainText, assert } = require('../lib/gajok');

const h = harness(test);
let programUrl;

test('staff creates a program and weekly Friday sessions in December 2026; 성탄절 is skipped', async () => {
  const page = await newPage(h.browser, h.server);
  await login(page, 'staff');
  await page.getByRole('link', { name: '프로그램', exact: true }).click();
  await page.getByRole('link', { name: '프로그램 등록' }).click();
  await page.locator('#f-year').fill('2026');
  const areas = await page.locator('#f-area option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  const edu = areas.find(([v, t]) => v && /가족교육/.test(t)) || areas.find(([v]) => v);
  await page.locator('#f-area').selectOption(edu[0]);
  await page.locator('#f-name').fill('금요 부모교실');
  await page.locator('#f-target_real').fill('20');
  await page.locator('#f-target_sessions').fill('3');
  await page.getByRole('button', { name: '저장' }).click();
  await page.waitForLoadState('load');
  let text = await mainText(page);
  assert.match(text, /프로그램을 등록했습니다/);
  assert.match(text, /금요 부모교실/);
  assert.match(text, /등록된 회기가 없습니다/);
  programUrl = page.url();

  await page.locator('#f-start_date').fill('2026-12-01');
  await page.locator('#f-end_date').fill('2026-12-31');
  await page.locator('#f-weekday').selectOption({ label: '금요일' });
  await page.locator('#f-start_time').fill('19:00');
  await page.locator('#f-hours').fill('2');
  await page.getByRole('button', { name: '회기 등록' }).click();
  await page.waitForLoadState('load');
  text = await mainText(page);
  assert.match(text, /회기 3건을 등록했습니다/, text.slice(0, 500));
  const dates = await page.locator('a[href^="/sessions/"]:not(.button)').allInnerTexts();
  assert.deepEqual(dates, ['2026. 12. 4.', '2026. 12. 11.', '2026. 12. 18.']);

  await page.locator('#f-member_ids').fill('1, 2, 3, 4, 5');
  await page.getByRole('button', { name: '참여자 등록' }).click();
  await page.waitForLoadState('load');
  text = await mainText(page);
  assert.match(text, /참여자를 등록했습니다/);
  assert.match(text, /참여자 \(5\)/);
});

test('staff takes attendance for the whole session: all present, one absent, the count follows', async () => {
  assert.ok(programUrl, 'the program was created');
  const page = await newPage(h.browser, h.server);
  await login(page, 'staff');
  await page.goto(programUrl);
  await page.getByRole('link', { name: '2026. 12. 4.' }).click();
  assert.match(await mainText(page), /출석부 · 2026\. 12\. 4\./);
  const summary = page.locator('[data-att-summary]');
  assert.equal(await summary.innerText(), '0 / 5');
  await page.getByRole('button', { name: '모두 출석' }).click();
  assert.equal(await summary.innerText(), '5 / 5');
  await page.locator('tbody tr').nth(1).getByRole('radio', { name: / 결석$/ }).check();
  assert.equal(await summary.innerText(), '4 / 5');
  await page.getByRole('button', { name: '출석 저장' }).click();
  await page.waitForLoadState('load');
  assert.match(await mainText(page), /출석을 저장했습니다/);
  assert.equal(await summary.innerText(), '4 / 5');

  await page.goto(programUrl);
  const row = page.locator('tbody tr', { has: page.getByRole('link', { name: '2026. 12. 4.' }) });
  const cells = await row.locator('td.num').allInnerTexts();
  assert.equal(cells[1], '4', `present count in the session list: ${cells}`);
});

test('keyboard only: Tab to 모두 출석, Space, arrow to 결석 for one row, Enter on 출석 저장', async () => {
  const page = await newPage(h.browser, h.server);
  await login(page, 'staff');
  await page.goto(programUrl);
  await page.getByRole('link', { name: '2026. 12. 11.' }).click();
  const summary = page.locator('[data-att-summary]');
  await page.locator('body').focus();
  // Tab until the "all present" button has the focus (skip link, header, navigation first).
  await tabTo(page, (el) => el.hasAttribute('data-all-present'));
  await page.keyboard.press('Space');
  assert.equal(await summary.innerText(), '5 / 5');
  // The first row's radio group: Tab enters it at the checked radio; ArrowRight moves to 결석.
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
  assert.match(focused, /출석$/, `focus on the first row's 출석 radio, got ${focused}`);
  await page.keyboard.press('ArrowRight');
  assert.equal(await summary.innerText(), '4 / 5');
  await tabTo(page, (el) => el.type === 'submit' && /출석 저장/.test(el.textContent));
  await pressAndWait(page, 'Enter');
  assert.match(await mainText(page), /출석을 저장했습니다/);
  assert.equal(await summary.innerText(), '4 / 5');
});

async function tabTo(page, pred, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(`(${pred.toString()})(document.activeElement)`);
    if (hit) return;
  }
  throw new Error('focus never reached the element with Tab');
}
