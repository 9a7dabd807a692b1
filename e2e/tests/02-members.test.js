// Registering a member and a family with the consent actually given (form 6), as center staff.
'use strict';
const test = require('node:test');
const { harness, newPage, login, mainText, assert } = require('../lib/gajok');

const h = harness(test);

test('staff registers a parent as a new family and a child into the same family, with consent', async () => {
  const page = await newPage(h.browser, h.server);
  await login(page, 'staff');
  await page.getByRole('link', { name: '이용자', exact: true }).click();
  const before = await mainText(page);
  const countBefore = Number(before.match(/총 ([\d,]+)명/)[1].replace(/,/g, ''));

  // The parent: a new family, collection and use agreed, third party refused.
  await page.getByRole('link', { name: '이용자 등록' }).first().click();
  await page.locator('#f-name').fill('하늘별');
  await page.locator('#f-birth_date').fill('1985-04-12');
  await page.locator('#f-sex').selectOption({ label: '여' });
  await page.locator('#f-phone').fill('010-2345-6789');
  await page.locator('#f-single_parent').check();
  await page.locator('#f-consent_collection').selectOption('agree');
  await page.locator('#f-consent_third_party').selectOption('disagree');
  await page.locator('#f-signed_on').fill('2026-03-02');
  await page.getByRole('button', { name: '저장' }).click();
  await page.waitForLoadState('load');
  let text = await mainText(page);
  assert.match(text, /이용자를 등록했습니다/);
  assert.match(text, /하늘별/);
  assert.match(text, /한부모/);
  assert.match(text, /동의/);
  const familyId = await page.locator('[data-family-id]').getAttribute('data-family-id');
  assert.match(text, new RegExp(`가족 번호 ${familyId}`));
  assert.ok(familyId, `the member page shows the family number: ${text.slice(0, 400)}`);

  // The child joins that family; a guardian consents for a child under 14.
  await page.goto('/members/new');
  await page.locator('#f-name').fill('하솔');
  await page.locator('#f-birth_date').fill('2018-09-01');
  await page.locator('#f-sex').selectOption({ label: '남' });
  await page.locator('#f-family_relation').selectOption({ label: '자녀' });
  await page.locator('#f-family_id').fill(String(familyId));
  if (await page.locator('#f-new_family').isChecked()) await page.locator('#f-new_family').uncheck();
  await page.locator('#f-consent_collection').selectOption('agree');
  await page.locator('#f-guardian_name').fill('하늘별');
  await page.locator('#f-guardian_relation').fill('모');
  await page.locator('#f-guardian_phone').fill('010-2345-6789');
  await page.getByRole('button', { name: '저장' }).click();
  await page.waitForLoadState('load');
  text = await mainText(page);
  assert.match(text, /이용자를 등록했습니다/, text.slice(0, 600));
  assert.match(text, /하늘별/, 'the family members are listed on the child record');
  assert.match(text, /법정대리인/);

  // The list counts two more people and masks the names.
  await page.goto('/members');
  const after = await mainText(page);
  const countAfter = Number(after.match(/총 ([\d,]+)명/)[1].replace(/,/g, ''));
  assert.equal(countAfter, countBefore + 2);
  assert.doesNotMatch(after, /하늘별/);
  // The demo fills more than one page: search finds the new parent, masked.
  await page.goto('/members?q=' + encodeURIComponent('하늘별'));
  const found = await mainText(page);
  assert.match(found, /하\*별/);
  assert.doesNotMatch(found, /하늘별/);
});

test('refusing the required consent blocks registration and says why', async () => {
  const page = await newPage(h.browser, h.server);
  await login(page, 'staff');
  await page.goto('/members/new');
  await page.locator('#f-name').fill('거절자');
  await page.locator('#f-birth_date').fill('1990-01-01');
  await page.locator('#f-sex').selectOption({ label: '남' });
  await page.locator('#f-consent_collection').selectOption('disagree');
  await page.getByRole('button', { name: '저장' }).click();
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).pathname, '/members');
  const err = await page.locator('.field-error, .alert.error').allInnerTexts();
  assert.ok(err.join(' ').length > 0, 'an error names the consent field');
  await page.goto('/members?q=거절자');
  assert.match(await mainText(page), /조건에 맞는 이용자가 없습니다/);
});
