// Starts a real Folio server (release build) with its own data folder, and Debian's
// Chromium through playwright-core. Every test talks to 127.0.0.1 only.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const CUSTOMER = { email: 'anna.schneider@example.com', password: 'Demo-Kunde-2026!', name: 'Anna Schneider' };
export const STAFF = { email: 'jana.sommer@sommer-partner.example', password: 'Demo-Makler-2026!', name: 'Jana Sommer' };
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = process.env.FOLIO_BIN || join(ROOT, 'target', 'release', 'folio');

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

async function waitForHealth(base, child) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`folio exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('folio did not become healthy');
}

/** A running server with the demo broker; `env` adds settings for `folio serve`. */
export async function startFolio(env = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'folio-e2e-'));
  const port = await freePort();
  const baseEnv = { ...process.env, FOLIO_DATA_DIR: dataDir, FOLIO_PUBLIC_PORT: String(port), RUST_LOG: 'warn' };
  delete baseEnv.FOLIO_DATABASE_URL;
  delete baseEnv.FOLIO_SMTP_URL;
  const run = (...args) => execFileSync(BIN, args, { cwd: ROOT, env: baseEnv, encoding: 'utf8' });
  run('demo');
  const serve = () => spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`], {
    cwd: ROOT,
    env: { ...baseEnv, ...env, ...(process.env.FOLIO_SITE_ROOT ? { LEPTOS_SITE_ROOT: process.env.FOLIO_SITE_ROOT } : {}) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = (c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', r)));
  let child = serve();
  const url = (host, path = '/') => `http://${host}:${port}${path}`;
  await waitForHealth(`http://127.0.0.1:${port}`, child);
  return {
    port,
    url,
    run,
    dataDir,
    /** Mails written to the outbox, oldest first. */
    mails() {
      const dir = join(dataDir, 'outbox');
      let files = [];
      try { files = readdirSync(dir).map((f) => join(dir, f)); } catch { return []; }
      return files
        .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
        .map((f) => decodeQuotedPrintable(readFileSync(f, 'utf8')));
    },
    /** Cuts the network: the server goes away, its data stays. */
    async halt() {
      child.kill('SIGTERM');
      await exited(child);
    },
    /** Brings the server back on the same port with the same data. */
    async resume() {
      child = serve();
      await waitForHealth(`http://127.0.0.1:${port}`, child);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Chromium as root, headless, on a closed network. */
export const BROWSER_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: BROWSER_ARGS,
  });
}

/** One server (with `env` for `folio serve`) and one browser for the calling test file,
 * started before its first test and stopped after its last: `run.folio`, `run.browser`. */
export function serverAndBrowser(env = {}) {
  const run = {};
  before(async () => {
    run.folio = await startFolio(env);
    run.browser = await launchBrowser();
  });
  after(async () => {
    await run.browser?.close();
    await run.folio?.stop();
  });
  return run;
}

/** A fresh browser context (own cookies) with a page that records CSP violations. */
export async function newPage(browser, { viewport = PHONE, locale = 'de-DE', javaScriptEnabled = true, mobile = false, serviceWorkers = 'allow' } = {}) {
  const phone = mobile
    ? { isMobile: true, hasTouch: true, userAgent: 'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36' }
    : {};
  const context = await browser.newContext({ viewport, locale, javaScriptEnabled, serviceWorkers, ...phone });
  const page = await context.newPage();
  page.cspViolations = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) page.cspViolations.push(msg.text());
  });
  return page;
}

export async function waitForHydration(page) {
  await page.waitForSelector('body[data-hydrated]', { timeout: 30_000 });
}

export async function signIn(page, folio, host, { email, password }) {
  await page.goto(folio.url(host, '/login'));
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
}

/** Mail text as a person reads it: soft line breaks joined, `=XX` bytes decoded. */
export function decodeQuotedPrintable(raw) {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The single-use link in a mail. */
export function linkIn(mail) {
  const match = mail.match(/https?:\/\/\S+\/set-password\/\S+/);
  if (!match) throw new Error(`no link in mail:\n${mail}`);
  return match[0];
}

/** A screenshot for people to look at, when FOLIO_SCREENSHOTS names a folder. */
export async function shot(page, name) {
  const dir = process.env.FOLIO_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
