/**
 * A look at the wall at 10× the city: `node build` in the embedded mode (chDB, ingest and the demo
 * feed in process) with REGISTRY_SCHOOLS (default 5,000), and a 1920×1080 screenshot of /wall
 * once the day's backfill is in and the map has drawn. Prints the screenshot's path.
 *   npx vite build && npx tsx bench/scale-screenshot.ts [out.png]
 * Everything it starts is stopped when it ends, also when it fails (harness/children.ts).
 */
import { chromium, type Browser } from '@playwright/test';
import path from 'node:path';
import type { Health } from '#shared/health';
import { appServer, type AppServer } from '#harness/app-server';
import { CHROMIUM_LAUNCH } from '#harness/chromium';
import { getJson, say, sleep } from './live-load';

const SCHOOLS = process.env.BENCH_SCHOOLS ?? '5000';
const out = path.resolve(process.argv[2] ?? 'wall-10x.png');
const started: { app?: AppServer; browser?: Browser } = {};

try {
	const app = (started.app = await appServer({
		REGISTRY_SCHOOLS: SCHOOLS,
		FEED: '1',
		FEED_HISTORY_DAYS: '0',
		FEED_BACKFILL_MINUTES: '5'
	}));
	await app.start();
	// the feed's backfill (today's attendance, completeness, library; 16 minutes of heartbeats)
	for (let i = 0; i < 180; i++) {
		const h = await getJson<Health>(`${app.url}/api/health`, app.cookie).catch(() => null);
		if (!h) {
			await sleep(2000);
			continue;
		}
		if (i % 10 === 0) say(`${h.ingest.events_total} events written`);
		if (h.ingest.events_total > 200_000 && !h.feed_backfilling && h.ingest.lag < 2000) break;
		await sleep(2000);
	}
	await sleep(5000);
	const browser = (started.browser = await chromium.launch(CHROMIUM_LAUNCH));
	const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
	await page
		.context()
		.addCookies([{ name: 'edu_session', value: app.cookie.split('=')[1], url: app.url }]);
	await page.goto(`${app.url}/wall`);
	await page.waitForSelector('[data-testid=wall-map][data-ready="1"]', { timeout: 120_000 });
	await sleep(8000);
	await page.screenshot({ path: out });
	say(out);
} catch (error) {
	console.error(error);
	if (started.app) console.error(started.app.log().slice(-2000));
	process.exitCode = 1;
} finally {
	await started.browser?.close().catch(() => undefined);
	await started.app?.stop().catch(() => undefined);
}
process.exit(process.exitCode ?? 0);
