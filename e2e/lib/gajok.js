// Shared helpers for the browser suite: start a real `gajok serve --demo` on a free loopback
// port with a fresh SQLite database, open headless Chromium, sign in as a demo account.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const BINARY = process.env.GAJOK_BIN || path.join(ROOT, 'target', 'debug', 'gajok');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = 'gajok-demo-2026';

// Without the background-networking flags Chromium keeps calling home on a closed network.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Date, month and time inputs drawn the Korean way (2026년 10월, 오전 10:04).
  '--lang=ko-KR',
];

/** Starts `gajok serve --demo` on 127.0.0.1:0 and resolves once it prints its address. */
async function startServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gajok-e2e-'));
  const db = `sqlite://${path.join(dir, 'gajok.db')}`;
  const child = spawn(BINARY, ['serve', '--demo', '--listen', '127.0.0.1:0', '--database-url', db], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
  });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gajok did not start in 60 s:\n${out}`)), 60_000);
    const onData = (b) => {
      out += b.toString();
      const m = out.match(/running at (http:\/\/[0-9.:]+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (b) => { out += b.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`gajok exited (${code}):\n${out}`)); });
  });
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  child.stderr.resume();
  return {
    url,
    dir,
    async stop() {
      child.removeAllListeners('exit');
      if (child.exitCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch() {
  // Headless Chromium on Linux takes its UI language from LANGUAGE, not from --lang; the
  // character set must be UTF-8 or Korean download names collapse to "download".
  const env = { ...process.env, LANG: 'C.UTF-8', LANGUAGE: 'ko' };
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, env });
}

/** A fresh browser context (own cookies) at the desktop size the screenshots use. */
async function newPage(browser, server, opts = {}) {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: opts.viewport || { width: 1366, height: 768 },
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
    acceptDownloads: true,
    // Only for injecting axe-core: the app's Content-Security-Policy forbids inline scripts.
    bypassCSP: Boolean(opts.bypassCSP),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

async function login(page, username, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('아이디').fill(username);
  await page.getByLabel('비밀번호').fill(password);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '로그인' }).click()]);
}

async function logout(page) {
  await page.getByRole('button', { name: '로그아웃' }).click();
  await page.waitForLoadState('load');
}

/** Presses a key that submits a form and waits for the next page. */
async function pressAndWait(page, key) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press(key)]);
}

/** The visible text of the main area, whitespace collapsed (what a person reads). */
async function mainText(page) {
  const t = await page.locator('main').innerText();
  return t.replace(/\s+/g, ' ');
}

/** The latest Wednesday (KST) that is not a public holiday: a 나눔터 is open then. */
function anOpenDay() {
  const holidays = new Set(
    Object.values(JSON.parse(fs.readFileSync(path.join(ROOT, 'rules/calendar/holidays.json'), 'utf8')).years).flat(),
  );
  const d = new Date(Date.now() + 9 * 3600 * 1000);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 7 - 3) % 7));
  while (holidays.has(d.toISOString().slice(0, 10))) d.setUTCDate(d.getUTCDate() - 7);
  return d.toISOString().slice(0, 10);
}

/** Starts a server and a browser for one test file; `after` stops both. */
function harness(t) {
  const h = { server: null, browser: null };
  t.before(async () => {
    h.server = await startServer();
    h.browser = await launch();
  });
  t.after(async () => {
    if (h.browser) await h.browser.close();
    if (h.server) await h.server.stop();
  });
  return h;
}

module.exports = { anOpenDay, pressAndWait, startServer, launch, newPage, login, logout, mainText, harness, assert, PASSWORD, ROOT };
