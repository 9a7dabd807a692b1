// The public benefit simulator (모의계산): a parent, not signed in, works out the single-parent
// family allowance and reads how it was calculated.
'use strict';
const test = require('node:test');
const { harness, newPage, mainText, assert } = require('../lib/gajok');

const h = harness(test);

test('a visitor calculates the single-parent allowance and sees the amounts and the explanation', async () => {
  const page = await newPage(h.browser, h.server);
  await page.goto('/simulator');
  assert.match(await mainText(page), /한부모가족 지원 모의계산/);
  await page.getByRole('link', { name: /한부모가족 지원 모의계산/ }).click();
  assert.equal(new URL(page.url()).pathname, '/simulator/single-parent');

  // Divorced mother born 1983, one child at elementary school, income 2,000,000원 a month.
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

  const result = page.locator('section.sim-result');
  const text = (await result.innerText()).replace(/\s+/g, ' ');
  assert.match(text, /계산 결과/);
  assert.match(text, /지원 대상\(한부모가족\)/);
  assert.match(text, /200,000원/, 'the monthly child-rearing allowance');
  assert.match(text, /2,900,000원/, 'the year total');
  assert.match(text, /2,073,693원 \(60%\)/, 'the income threshold it was compared with');
  // The explanation: every step, in Korean, with the rule it applied.
  assert.match(text, /이렇게 계산했습니다/);
  assert.match(text, /소득인정액 2,000,000원/);
  assert.ok((await result.locator('ol.sim-trace li').count()) >= 3, 'several explained steps');
  assert.match(text, /시·군·구가 조사를 거쳐 결정합니다/);
  // Nothing about the visitor was kept: no sign-in prompt, the form keeps the input.
  assert.equal(await page.locator('[name=child1_birth_date]').inputValue(), '2013-01-10');
});
