// 공동육아나눔터 and 가족품앗이 as the center does them: register the space, check a family in at
// the desk (also with the keyboard only), lend a toy and take it back, and take a 품앗이 plan
// through its four signatures (담당자 → 팀장 → 사무국장 → 센터장).
'use strict';
const test = require('node:test');
const { pressAndWait, harness, newPage, login, mainText, assert, anOpenDay } = require('../lib/gajok');

const h = harness(test);
const SPACE = '광진 공동육아나눔터 1호점';
let spaceUrl;

/** A demo parent of the center with a phone: (member number, last four digits). */
async function aParent(page) {
  await page.goto('/members');
  const row = page.locator('tbody tr', { hasText: /010-\*{4}-\d{4}/ }).first();
  const cells = await row.locator('td').allInnerTexts();
  const id = cells[0].trim();
  const digits = cells.join(' ').match(/010-\*{4}-(\d{4})/)[1];
  return { id, digits };
}

test('staff updates the 나눔터 space registry; the rule checks follow', async () => {
  const page = await newPage(h.browser, h.server);
  await login(page, 'staff');
  await page.getByRole('link', { name: '공동육아나눔터', exact: true }).click();
  assert.match(await mainText(page), new RegExp(SPACE));
  await page.getByRole('link', { name: SPACE }).first().click();
  spaceUrl = page.url();
  await page.locator('#f-area').fill('80');
  // Open around the clock so the desk test does not depend on the hour it runs at.
  await page.locator('#f-open').fill('00:00');
  await page.locator('#f-close').fill('23:59');
  await page.getByRole('button', { name: '저장' }).click();
  await page.waitForLoadState('load');
  const text = await mainText(page);
  assert.match(text, /나눔터 등록정보를 저장했습니다/);
  assert.match(text, /면적 80㎡/);
});

test('desk check-in with the keyboard only: type digits, Enter, Tab to 입실, Enter; the log counts it', async () => {
  assert.ok(spaceUrl);
  const page = await newPage(h.browser, h.server);
  await login(page, 'staff');
  const parent = await aParent(page);
  await page.goto(`${spaceUrl}/desk?date=${anOpenDay()}`);
  let text = await mainText(page);
  // The demo may already have visits that day: count from what the desk shows.
  const parentsBefore = Number(text.match(/부모 (\d+)명/)[1]);
  const logBefore = page.locator('section.card', { hasText: '이용대장' });
  const rowsBefore = await logBefore.locator('tbody tr').count();
  const openBefore = await logBefore.getByRole('button', { name: '퇴실' }).count();
  // The search box has the focus when the page opens.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.keyboard.type(parent.digits);
  await pressAndWait(page, 'Enter');
  const match = page.locator('form.nt-desk-match').first();
  await match.waitFor();
  // Tab through the match's fields until 입실 has the focus, then Enter.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => document.activeElement.textContent.trim());
    if (label === '입실') break;
  }
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), '입실');
  await pressAndWait(page, 'Enter');
  text = await mainText(page);
  assert.match(text, /입실을 기록했습니다/);
  assert.match(text, new RegExp(`부모 ${parentsBefore + 1}명`));
  const log = page.locator('section.card', { hasText: '이용대장' });
  assert.equal(await log.locator('tbody tr').count(), rowsBefore + 1);
  assert.equal(await log.getByRole('button', { name: '퇴실' }).count(), openBefore + 1);
  // Check-out by keyboard as well: the 퇴실 button of the visit just recorded.
  await log.getByRole('button', { name: '퇴실' }).last().focus();
  await pressAndWait(page, 'Space');
  assert.match(await mainText(page), /퇴실을 기록했습니다/);
  assert.equal(await log.getByRole('button', { name: '퇴실' }).count(), openBefore);
});

test('toy library: register a toy, lend it to a member, take it back; no late fee', async () => {
  const page = await newPage(h.browser, h.server);
  await login(page, 'staff');
  const parent = await aParent(page);
  await page.goto(`${spaceUrl}/library`);
  const catalogue = page.locator('form[action$="/items"]');
  await catalogue.getByLabel('바코드').fill('TOY-0001');
  await catalogue.getByLabel('물품', { exact: true }).fill('원목 블록 세트');
  await catalogue.getByRole('button', { name: '등록' }).click();
  await page.waitForLoadState('load');
  let text = await mainText(page);
  assert.match(text, /물품을 등록했습니다/);
  assert.match(text, /원목 블록 세트/);

  const lend = page.locator('form[action$="/loans"]');
  await lend.getByLabel('바코드').fill('TOY-0001');
  await lend.getByLabel(/이용자 번호/).fill(parent.id);
  await lend.getByRole('button', { name: '대여' }).click();
  await page.waitForLoadState('load');
  text = await mainText(page);
  assert.match(text, /대여를 기록했습니다/);
  const loanRow = page.locator('tr', { hasText: 'TOY-0001' }).first();
  assert.match(await loanRow.innerText(), /원목 블록 세트/);
  assert.match(await loanRow.innerText(), /\d{4}\. \d{1,2}\. \d{1,2}\./, 'due date in Korean form');
  await loanRow.getByRole('button', { name: '반납' }).click();
  await page.waitForLoadState('load');
  text = await mainText(page);
  assert.match(text, /반납을 기록했습니다/);
  const returned = page.locator('section.card', { hasText: '최근 반납' }).locator('tbody tr').first();
  const cells = await returned.locator('td').allInnerTexts();
  assert.equal(cells[0], '원목 블록 세트');
  assert.equal(cells[3], '0');
  assert.equal(cells[4], '0원');
});

test('품앗이: staff forms a group and submits a plan; the manager signs steps 2–4; approved', async () => {
  const staff = await newPage(h.browser, h.server);
  await login(staff, 'staff');
  await staff.getByRole('link', { name: '가족품앗이' }).click();
  await staff.locator('#g-name').fill('능동 놀이품앗이');
  await staff.locator('#g-kind').selectOption({ index: 2 });
  await staff.locator('#g-fam').fill('1, 2');
  await staff.locator('#g-or').fill('2026-01-05');
  await staff.getByRole('button', { name: '그룹 구성' }).click();
  await staff.waitForLoadState('load');
  let text = await mainText(staff);
  assert.match(text, /품앗이 그룹을 구성했습니다|능동 놀이품앗이/, text.slice(0, 400));
  if (!/품앗이 그룹 · 능동 놀이품앗이/.test(text)) {
    await staff.getByRole('link', { name: '능동 놀이품앗이' }).click();
  }
  const groupUrl = staff.url();
  const month = await staff.locator('#p-month').inputValue();
  await staff.locator('#p-purpose').fill('주 1회 공동육아 놀이');
  await staff.locator('#p-act').fill('1주: 블록 놀이\n2주: 숲 산책\n3주: 그림책 읽기\n4주: 요리 놀이');
  await staff.getByRole('button', { name: '계획서 제출' }).click();
  await staff.waitForLoadState('load');
  text = await mainText(staff);
  assert.match(text, /계획서를 제출했습니다\(1\/4 담당자\)/, text.slice(0, 600));
  // Staff cannot sign the team leader's step.
  assert.equal(await staff.getByRole('button', { name: '결재' }).count(), 1);

  const manager = await newPage(h.browser, h.server);
  await login(manager, 'manager');
  for (let step = 2; step <= 4; step++) {
    await manager.goto(groupUrl);
    await manager.getByRole('button', { name: '결재' }).click();
    await manager.waitForLoadState('load');
    assert.match(await mainText(manager), /계획서를 결재했습니다/, `step ${step}`);
  }
  await manager.goto(groupUrl);
  text = await mainText(manager);
  assert.match(text, /결재 완료/);
  assert.equal(await manager.getByRole('button', { name: '결재' }).count(), 0);
  await manager.goto(`/pumasi?month=${month}`);
  const row = manager.locator('tr', { has: manager.getByRole('link', { name: '능동 놀이품앗이' }) });
  assert.match(await row.innerText(), /4\/4/);
});
