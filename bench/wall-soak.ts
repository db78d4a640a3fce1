/**
 * npm run bench:soak — the wall left alone: `node build` with its demo feed, one Chromium screen
 * touring every district (`dwell` 10 s), the page's JS heap (after a forced GC), DOM nodes and
 * listeners sampled every 30 s, and the server's RSS. A wall that runs for weeks must level off.
 * SOAK_MINUTES (default 10) sets the length.
 * Last line: soak minutes=<n> heap_start_mb=<n> heap_30min_mb=<n> heap_end_mb=<n> heap_max_mb=<n> nodes_start=<n>
 * nodes_end=<n> listeners_end=<n> server_rss_30min_mb=<n> server_rss_end_mb=<n> heap_slope_mb_per_h=<n>
 * heap_30min is the first sample at or after 30 minutes (warm-up over; the target is
 * heap_end within 1 MB of it); the slope is a least-squares fit over the samples after it.
 * The app and the browser are stopped when it ends, also when a step fails (exit code 1) or it is
 * interrupted.
 */
import { chromium, type Browser } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { appServer, type AppServer } from '#harness/app-server';
import { CHROMIUM_LAUNCH } from '#harness/chromium';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const say = (s: string) => console.log(s);

/** Least-squares slope of y over x; NaN with fewer than two points. */
function slope(points: [number, number][]): number {
	const n = points.length;
	const mx = points.reduce((a, [x]) => a + x, 0) / n;
	const my = points.reduce((a, [, y]) => a + y, 0) / n;
	const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
	return points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
}

// what this run started, stopped in `finally` (and by the harness should the process die)
const started: { app?: AppServer; browser?: Browser } = {};
async function stopAll(): Promise<void> {
	await started.browser?.close().catch(() => undefined);
	await started.app?.stop().catch(() => undefined);
}
for (const sig of ['SIGINT', 'SIGTERM'] as const)
	process.once(sig, () => void stopAll().finally(() => process.exit(130)));

try {
	const app = (started.app = await appServer({ FEED_HISTORY_DAYS: '3', LOG_LEVEL: 'warn' }));
	await app.start();
	const rss = () => {
		const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${app.pid()}/status`, 'utf8'));
		return m ? Math.round(Number(m[1]) / 1024) : 0;
	};
	const browser = (started.browser = await chromium.launch(CHROMIUM_LAUNCH));
	const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Performance.enable');
	const tour =
		'city,ninh-kieu,cai-rang,binh-thuy,o-mon,thot-not,phong-dien,co-do,thoi-lai,vinh-thanh';
	await page
		.context()
		.addCookies([{ name: 'edu_session', value: app.cookie.split('=')[1], url: app.url }]);
	await page.goto(`${app.url}/wall?rotate=${tour}&dwell=10`);
	await page.waitForSelector('[data-testid=wall-map][data-ready="1"]', { timeout: 60_000 });

	const samples: { min: number; heap: number; nodes: number; listeners: number; rss: number }[] =
		[];
	const t0 = Date.now();
	while (Date.now() - t0 < MINUTES * 60_000) {
		await page.waitForTimeout(30_000);
		await cdp.send('HeapProfiler.collectGarbage');
		const m = Object.fromEntries(
			(await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value])
		);
		const s = {
			min: (Date.now() - t0) / 60_000,
			heap: m.JSHeapUsedSize / 1048576,
			nodes: m.Nodes,
			listeners: m.JSEventListeners,
			rss: rss()
		};
		samples.push(s);
		say(
			`t=${s.min.toFixed(1)} min  heap ${s.heap.toFixed(1)} MB  nodes ${s.nodes}  listeners ${s.listeners}  focus ${await page.getAttribute('[data-testid=wall]', 'data-focus')}  server rss ${s.rss} MB`
		);
	}
	const first = samples[0];
	const last = samples[samples.length - 1];
	const warm = samples.find((s) => s.min >= 30) ?? first;
	const after = samples.filter((s) => s.min >= warm.min);
	say(
		`soak minutes=${MINUTES} heap_start_mb=${first.heap.toFixed(1)} heap_30min_mb=${warm.heap.toFixed(1)} heap_end_mb=${last.heap.toFixed(1)} heap_max_mb=${Math.max(...samples.map((s) => s.heap)).toFixed(1)} nodes_start=${first.nodes} nodes_end=${last.nodes} listeners_end=${last.listeners} server_rss_30min_mb=${warm.rss} server_rss_end_mb=${last.rss} heap_slope_mb_per_h=${(slope(after.map((s) => [s.min / 60, s.heap])) || 0).toFixed(2)}`
	);
} catch (error) {
	console.error(error);
	if (started.app) console.error(started.app.log().slice(-2000));
	process.exitCode = 1;
} finally {
	await stopAll();
}
process.exit(process.exitCode ?? 0);
