// The monthly report's way up: the center manager submits, the 시·군·구 official returns it and
// later approves it, the 시·도 official sees the same numbers in the roll-up. Plus the CSV export.
'use strict';
const test = require('node:test');
const fs = require('node:fs');
const { harness, newPage, login, mainText, assert } = require('../lib/gajok');

const h = harness(test);
const CENTER = '광진구가족센터';

/** The 합계 row of a report page, as the cells a person reads. */
async function totalRow(page) {
  return page.locator('table.report tr.line-total td').allInnerTexts();
}

/** The previous month (KST), the month every report screen opens on. */
function previousMonth() {
  const now = new Date(Date.now() + 9 * 3600 * 1000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1 };
}

test('submit → return → resubmit → approve → the province roll-up shows the numbers', async () => {
  const { y, m } = previousMonth();
  const monthKo = `${y}년 ${m}월`;

  // 1. The center manager opens last month's report and submits it.
  const manager = await newPage(h.browser, h.server);
  await login(manager, 'manager');
  await manager.getByRole('link', { name: '월간실적', exact: true }).click();
  let text = await mainText(manager);
  assert.match(text, new RegExp(`월간사업실적 · ${CENTER} · ${monthKo}`));
  assert.match(text, /작성 중/);
  const total = await totalRow(manager);
  assert.equal(total[0], '합계');
  const [sessions, , realNew, cumulative] = total.slice(1);
  assert.ok(Number(sessions.replace(/,/g, '')) > 0, `the demo month has sessions: ${total}`);
  await manager.getByRole('button', { name: '제출', exact: true }).click();
  await manager.waitForLoadState('load');
  text = await mainText(manager);
  assert.match(text, /월간실적을 제출했습니다/);
  assert.match(text, /제출/);
  assert.equal(await manager.getByRole('button', { name: '제출', exact: true }).count(), 0, 'no second submit');

  // 2. The district official finds it in the district roll-up and returns it with a comment.
  const district = await newPage(h.browser, h.server);
  await login(district, 'gwangjin');
  await district.getByRole('link', { name: '실적 집계' }).click();
  await district.getByRole('link', { name: CENTER }).click();
  text = await mainText(district);
  assert.match(text, new RegExp(`${CENTER} · ${monthKo}`));
  assert.deepEqual(await totalRow(district), total, 'the official sees the numbers the center submitted');
  await district.getByLabel('의견').fill('가족상담 회기 시간을 확인해 주세요');
  await district.getByRole('button', { name: '반려' }).click();
  await district.waitForLoadState('load');
  text = await mainText(district);
  assert.match(text, /반려/);
  assert.match(text, /가족상담 회기 시간을 확인해 주세요/);

  // 3. The manager sees the return and the comment, and submits again.
  await manager.reload();
  text = await mainText(manager);
  assert.match(text, /반려/);
  assert.match(text, /가족상담 회기 시간을 확인해 주세요/);
  await manager.getByRole('button', { name: '제출', exact: true }).click();
  await manager.waitForLoadState('load');
  assert.match(await mainText(manager), /월간실적을 제출했습니다/);

  // 4. The district official approves.
  await district.reload();
  await district.getByRole('button', { name: '승인' }).click();
  await district.waitForLoadState('load');
  text = await mainText(district);
  assert.match(text, /처리했습니다/);
  assert.match(text, /시·군·구 승인/);

  // 5. The province official's roll-up: the center's row and the totals carry the same numbers.
  const province = await newPage(h.browser, h.server);
  await login(province, 'seoul');
  await province.getByRole('link', { name: '실적 집계' }).click();
  text = await mainText(province);
  assert.match(text, new RegExp(`실적 집계 · 서울특별시 · ${monthKo}`));
  const row = province.locator('tr', { has: province.getByRole('link', { name: CENTER }) });
  const cells = await row.locator('td').allInnerTexts();
  assert.match(cells[1], /시·군·구 승인/);
  assert.deepEqual(cells.slice(2, 5), [sessions, realNew, cumulative], `roll-up row ${cells} vs report ${total}`);
});

test('the manager downloads the monthly report as CSV; the file holds the same totals', async () => {
  const page = await newPage(h.browser, h.server);
  await login(page, 'manager');
  await page.goto('/reports/monthly');
  const total = await totalRow(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'CSV 내려받기' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
  const csv = bytes.toString('utf8');
  const line = csv.split(/\r?\n/).find((l) => l.startsWith('합계'));
  assert.ok(line, `a 합계 line in:\n${csv.slice(0, 500)}`);
  const fields = line.split(',').filter((f) => f !== '');
  const plain = total.slice(1).map((c) => c.replace(/,/g, ''));
  assert.deepEqual(fields.slice(1, 1 + plain.length), plain);
});
