/**
 * npm run bench:mobile — the pages a phone opens most, on a phone's network and CPU:
 *  1. `node build` (embedded chDB and its demo feed, three days of history), signed in as the
 *     test admin;
 *  2. Chromium (Debian's) emulating a phone at 390×844 (touch, device pixel ratio 3) with the
 *     network throttled to a 4G profile through the DevTools protocol (9 Mbit/s down, 1.5 Mbit/s
 *     up, 150 ms round trip) and the CPU slowed 4×;
 *  3. `/`, `/districts/<id>`, `/schools/<id>` and `/alerts`, five loads each, every load in a
 *     fresh browser context (cold cache): the largest contentful paint (PerformanceObserver), the
 *     JavaScript transferred once the page has settled (2 s without a new script): the gzip size
 *     of every script response, the map's worker included, as bench/wall.ts counts it (the server
 *     has .gz and .br files; Chromium takes brotli, also printed as "on the wire"), and whether
 *     the page scrolls sideways (documentElement.scrollWidth > 390).
 * Per page: LCP p50/p95 and the JavaScript of its heaviest load, with the largest files.
 * Last line: mobile pages=<n> lcp_p95_ms=<n> js_kb_max=<n> overflow_pages=<n>
 * (lcp_p95_ms: nearest rank over every load of every page; js_kb_max: the heaviest load's kB).
 * Everything it starts (the app, the browser) is stopped when it ends, also on failure.
 */
import { chromium, type Browser } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { appServer, type AppServer } from '#harness/app-server';
import { CHROMIUM_LAUNCH } from '#harness/chromium';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DISTRICT = process.env.BENCH_DISTRICT ?? 'ninh-kieu';
const SCHOOL = process.env.BENCH_SCHOOL ?? 'ct-916-001';
const PAGES = ['/', `/districts/${DISTRICT}`, `/schools/${SCHOOL}`, '/alerts'];
const PHONE = { width: 390, height: 844 };
/** 4G: 9 Mbit/s down, 1.5 Mbit/s up, 150 ms round trip (bytes per second for the protocol) */
const NETWORK = {
	offline: false,
	latency: 150,
	downloadThroughput: (9 * 1024 * 1024) / 8,
	uploadThroughput: (1.5 * 1024 * 1024) / 8
};
const CPU_SLOWDOWN = 4;
/** a load has settled when no script arrived for this long (SSE pages never go network-idle) */
const QUIET_MS = 2000;
const SETTLE_MAX_MS = 30_000;

const say = (s: string) => console.log(s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** nearest rank: the smallest value with at least p % of the values at or under it */
const rank = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
};

interface Load {
	lcp: number;
	/** the element of the largest contentful paint */
	lcpEl: string;
	/** gzip bytes of the scripts, and what was transferred (brotli) */
	jsBytes: number;
	wireBytes: number;
	files: { url: string; bytes: number; wire: number }[];
	scrollWidth: number;
}

async function load(browser: Browser, app: AppServer, path: string): Promise<Load> {
	const ctx = await browser.newContext({
		viewport: PHONE,
		deviceScaleFactor: 3,
		isMobile: true,
		hasTouch: true
	});
	try {
		const eq = app.cookie.indexOf('=');
		const [name, value] = [app.cookie.slice(0, eq), app.cookie.slice(eq + 1)];
		await ctx.addCookies([{ name, value, url: app.url }]);
		await ctx.addInitScript(() => {
			const w = window as unknown as { __lcp: number; __lcpEl: string };
			w.__lcp = 0;
			w.__lcpEl = '';
			new PerformanceObserver((list) => {
				for (const e of list.getEntries()) {
					w.__lcp = e.startTime;
					const el = (e as PerformanceEntry & { element?: Element | null }).element;
					w.__lcpEl = el
						? `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`
						: '';
				}
			}).observe({ type: 'largest-contentful-paint', buffered: true });
		});
		const page = await ctx.newPage();
		const cdp = await ctx.newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.emulateNetworkConditions', NETWORK);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });

		const scripts: Promise<Load['files'][number]>[] = [];
		let lastScript = Date.now();
		page.on('requestfinished', (req) => {
			const url = req.url();
			if (req.resourceType() !== 'script' && !/\.m?js(\?|$)/.test(url)) return;
			lastScript = Date.now();
			scripts.push(
				(async () => {
					const wire = await req
						.sizes()
						.then((s) => s.responseBodySize)
						.catch(() => 0);
					const body = await (await req.response())?.body().catch(() => null);
					return { url, bytes: body ? gzipSync(body).length : wire, wire };
				})()
			);
		});
		const r = await page.goto(`${app.url}${path}`, { waitUntil: 'load', timeout: 120_000 });
		if (!r || r.status() !== 200) throw new Error(`${path}: status ${r?.status()}`);
		const t0 = Date.now();
		while (Date.now() - lastScript < QUIET_MS && Date.now() - t0 < SETTLE_MAX_MS) await sleep(200);
		const { lcp, lcpEl, scrollWidth } = await page.evaluate(() => ({
			lcp: (window as unknown as { __lcp: number }).__lcp,
			lcpEl: (window as unknown as { __lcpEl: string }).__lcpEl,
			scrollWidth: document.documentElement.scrollWidth
		}));
		const files = await Promise.all(scripts);
		return {
			lcp,
			lcpEl,
			jsBytes: files.reduce((a, f) => a + f.bytes, 0),
			wireBytes: files.reduce((a, f) => a + f.wire, 0),
			files,
			scrollWidth
		};
	} finally {
		await ctx.close();
	}
}

let app: AppServer | null = null;
let browser: Browser | null = null;
async function stopAll() {
	await browser?.close().catch(() => {});
	browser = null;
	await app?.stop().catch(() => {});
	app = null;
}
for (const sig of ['SIGINT', 'SIGTERM'] as const)
	process.once(sig, () => void stopAll().then(() => process.exit(130)));

try {
	app = await appServer({ FEED_BACKFILL_MINUTES: '5', FEED_HISTORY_DAYS: '3' });
	await app.start();
	say(`mobile: node build on ${app.url}; 390×844 phone, 4G (9/1.5 Mbit/s, 150 ms), CPU ×4`);
	browser = await chromium.launch(CHROMIUM_LAUNCH);
	// one load first so the server has built its caches (the views of a fresh server)
	for (const path of PAGES) await load(browser, app, path);

	const lcps: number[] = [];
	let jsMax = 0;
	let overflow = 0;
	for (const path of PAGES) {
		const loads: Load[] = [];
		for (let i = 0; i < RUNS; i++) loads.push(await load(browser, app, path));
		const pl = loads.map((l) => l.lcp);
		lcps.push(...pl);
		const heaviest = loads.reduce((a, l) => (l.jsBytes > a.jsBytes ? l : a));
		jsMax = Math.max(jsMax, heaviest.jsBytes);
		const wide = Math.max(...loads.map((l) => l.scrollWidth));
		if (wide > PHONE.width) overflow++;
		const largest = [...heaviest.files]
			.sort((a, b) => b.bytes - a.bytes)
			.slice(0, 4)
			.map((f) => `${f.url.split('/').pop()?.split('?')[0]} ${(f.bytes / 1024).toFixed(0)} kB`)
			.join(', ');
		say(
			`${path}: lcp p50 ${Math.round(rank(pl, 50))} ms, p95 ${Math.round(rank(pl, 95))} ms (${pl.map(Math.round).join(', ')}; ${[...new Set(loads.map((l) => l.lcpEl))].join(' ')}); ` +
				`js ${(heaviest.jsBytes / 1024).toFixed(0)} kB gzip (${(heaviest.wireBytes / 1024).toFixed(0)} kB on the wire) in ${heaviest.files.length} files ` +
				`(largest, gzip: ${largest}); scrollWidth ${wide}`
		);
	}
	say(
		`mobile pages=${PAGES.length} lcp_p95_ms=${Math.round(rank(lcps, 95))} js_kb_max=${Math.round(jsMax / 1024)} overflow_pages=${overflow}`
	);
} catch (e) {
	console.error(e);
	if (app) console.error(app.log().slice(-2000));
	process.exitCode = 1;
} finally {
	await stopAll();
}
process.exit(process.exitCode ?? 0);
