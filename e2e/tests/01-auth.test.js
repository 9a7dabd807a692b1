// Sign-in, sign-out and the lockout after five failed attempts, as a person does them.
'use strict';
const test = require('node:test');
const { harness, newPage, login, logout, mainText, assert } = require('../lib/gajok');

const h = harness(test);

test('center staff signs in, sees the dashboard with their name and center, signs out', async () => {
  const page = await newPage(h.browser, h.server);
  await login(page, 'staff');
  assert.equal(new URL(page.url()).pathname, '/');
  const text = await mainText(page);
  assert.match(text, /대시보드/);
  assert.match(text, /광진구가족센터/);
  await assert.doesNotReject(page.getByRole('button', { name: '로그아웃' }).waitFor());
  await logout(page);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.match(await mainText(page), /로그아웃되었습니다/);
  // After signing out the dashboard is no longer reachable.
  await page.goto('/');
  assert.equal(new URL(page.url()).pathname, '/login');
});

test('a wrong password is refused with a message and the form keeps the username', async () => {
  const page = await newPage(h.browser, h.server);
  await login(page, 'manager', 'wrong-password-1');
  assert.equal(new URL(page.url()).pathname, '/login');
  const alert = await page.getByRole('alert').innerText();
  assert.ok(alert.length > 0, 'an error message is shown');
  assert.equal(await page.getByLabel('아이디').inputValue(), 'manager');
});

test('five failed sign-ins lock the account; even the right password is then refused', async () => {
  const page = await newPage(h.browser, h.server);
  for (let i = 0; i < 5; i++) {
    await login(page, 'dobong', `wrong-${i}`);
  }
  await login(page, 'dobong');
  assert.equal(new URL(page.url()).pathname, '/login');
  const alert = await page.getByRole('alert').innerText();
  assert.match(alert, /5회 실패하여 계정이 잠겼습니다/);
});
