// The live page in a real headless Chromium: open the share link, post a goal through the
// API, see the score change; drop the server's sockets and see the offline banner, then
// the page reconnecting with since_seq and catching up by itself.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { call, goal, ok, setupMatch } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`live page browser test skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);

describe.skipIf(!haveChromium)('live page in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  beforeAll(async () => {
    t = await createTestApp({ config: { accessTokenTtlSeconds: 86_400 } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the score changing when a goal is posted, and recovers from a dropped connection', async () => {
    const s = await setupMatch(t);
    await ok(call(t, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/events`, goal('away', s.awayPlayers[0], 2)), 201);
    const link = await ok<{ url: string }>(call(t, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/shares`, {}), 201);
    const page = await browser.newPage({ viewport: { width: 375, height: 700 } });
    await page.goto(`${origin}${link.url}`);
    const score = page.getByTestId('score');
    await expect.poll(() => score.textContent(), { timeout: 15_000 }).toBe('0 – 1');
    await expect.poll(() => page.getByTestId('timeline').textContent(), { timeout: 15_000 }).toContain('Cara Diaz');

    await ok(call(t, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/events`, goal('home', s.homePlayers[0], 9)), 201);
    await expect.poll(() => score.textContent(), { timeout: 15_000 }).toBe('1 – 1');

    // The server drops every socket: the banner shows, the page reconnects with since_seq
    // and picks up the goal logged meanwhile.
    t.app.liveHub.terminateAll();
    await expect.poll(() => page.locator('body.offline').count(), { timeout: 15_000 }).toBe(1);
    await ok(call(t, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/events`, goal('home', s.homePlayers[1], 15)), 201);
    await expect.poll(() => score.textContent(), { timeout: 20_000 }).toBe('2 – 1');
    await expect.poll(() => page.locator('body.offline').count(), { timeout: 15_000 }).toBe(0);
    await page.close();
  }, 90_000);
});
