/**
 * npm run bench:wall — the wall's live path under load, in one run on this machine:
 *  1. `node build` (embedded chDB, ingest from a nats-server this bench starts, demo feed off),
 *  2. N SSE clients (default 1,000) on /api/live?topics=wall.kpis,
 *  3. events published at 2,000/s; every 100th is a probe: its latency at a client is the time
 *     from publish to the first `wall.kpis` frame whose `seq` (events written before the frame's
 *     queries ran) covers it. A probe a client never sees is "missed".
 *  4. separately, in Chromium at 1920×1080: publish → the wall's DOM showing that seq.
 * Before the load, on the quiet server: 5 loads of /wall in Chromium at 1920×1080 (then 5 at
 * 3840×2160, printed on their own line), each from
 * navigation start to the first frame in which the map's layers are drawn (the map's
 * data-since-navigation: performance.now() in that frame), their median is first_draw_ms.
 * Also: server CPU and peak RSS (from /proc), the hub's computations, and the /wall JS (gzip:
 * js_gzip_kb as harness/client-bundle.ts counts it in the build, the budget test's figure).
 * Last line: wall clients=<n> event_to_screen_p95_ms=<n> sse_p95_ms=<n> missed=<n> server_rss_mb=<n>
 *   js_gzip_kb=<n> first_draw_ms=<n>
 * Everything it starts (nats-server, the app, the browser) is stopped when it ends, also when a
 * step fails (exit code 1) or it is interrupted.
 */
import { chromium, type Browser } from '@playwright/test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { devicesOf } from '#shared/devices';
import { subjectFor, type EduEventInput } from '#shared/contract';
import type { Health } from '#shared/health';
import type { School } from '#shared/registry';
import { appServer, type AppServer } from '#harness/app-server';
import { CHROMIUM_LAUNCH } from '#harness/chromium';
import { clientBundle } from '#harness/client-bundle';
import { startNatsServer, type NatsServer } from '#harness/nats-server';
import { heartbeats } from '#harness/events';
import { publishAll } from '#harness/publish';
import {
	deliveryDelays,
	openSseClients,
	pct,
	procReader,
	rssPeak,
	say,
	sleep,
	type SseClient
} from './live-load';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const SSE_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const SCREEN_SECONDS = Number(process.env.BENCH_SCREEN_SECONDS ?? 20);
const PROBE_EVERY = 100;
const TICK_MS = 50;

const enc = new TextEncoder();

const schools = JSON.parse(
	readFileSync(
		new URL('../src/lib/server/platform/registry/seed/schools.json', import.meta.url),
		'utf8'
	)
) as School[];
const devices = schools.flatMap((s) => devicesOf(s).map((d) => ({ s, d })));

/** The i-th event of the load: heartbeats over every device, a roll call every 10th, library every 20th. */
function eventAt(i: number, now: number): { subject: string; event: EduEventInput } {
	const ts = new Date(now).toISOString();
	if (i % 10 === 3) {
		const s = schools[i % schools.length];
		const present = 30 + (i % 11);
		return {
			subject: subjectFor('attendance', s.area_id, s.school_id),
			event: {
				kind: 'attendance',
				event_id: `bw-a-${String(i).padStart(8, '0')}`,
				schema: 1,
				school_id: s.school_id,
				ts,
				payload: {
					class: `c${i}`,
					grade: 1 + (i % 12),
					session: 'morning',
					enrolled: 40,
					present,
					absent_excused: 40 - present,
					absent_unexcused: 0
				}
			}
		};
	}
	if (i % 20 === 7) {
		const s = schools.filter((x) => x.elibrary)[i % 100];
		return {
			subject: subjectFor('library', s.area_id, s.school_id),
			event: {
				kind: 'library',
				event_id: `bw-l-${String(i).padStart(8, '0')}`,
				schema: 1,
				school_id: s.school_id,
				ts,
				payload: { period_s: 60, loans: i % 3, returns: i % 2, ebook_opens: i % 5, visits: 1 }
			}
		};
	}
	const { s, d } = devices[i % devices.length];
	return {
		subject: subjectFor('device', s.area_id, s.school_id),
		event: {
			kind: 'device',
			event_id: `bw-d-${String(i).padStart(8, '0')}`,
			schema: 1,
			school_id: s.school_id,
			ts,
			payload: {
				device_id: d.device_id,
				room: d.room,
				device_kind: d.device_kind,
				status: i % 50 === 0 ? 'down' : 'up',
				event: 'heartbeat',
				interval_s: 60
			}
		}
	};
}

// what this run started, stopped in `finally` (and by the harness should the process die)
const started: {
	nats?: NatsServer;
	nc?: NatsConnection;
	app?: AppServer;
	browser?: Browser;
	rss?: ReturnType<typeof rssPeak>;
} = {};
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const clients: SseClient[] = [];
async function stopAll(): Promise<void> {
	started.rss?.stop();
	await started.browser?.close().catch(() => undefined);
	for (const c of clients) c.req.destroy();
	agent.destroy();
	await started.nc?.close().catch(() => undefined);
	await started.app?.stop().catch(() => undefined);
	await started.nats?.stop().catch(() => undefined);
}
for (const sig of ['SIGINT', 'SIGTERM'] as const)
	process.once(sig, () => void stopAll().finally(() => process.exit(130)));

try {
	// ---------- server
	const nats = (started.nats = await startNatsServer());
	const nc = (started.nc = await connect({ servers: nats.url }));
	const js = jetstream(nc);
	const app = (started.app = await appServer({ NATS_URL: nats.url, FEED: '0', LOG_LEVEL: 'warn' }));
	await app.start();
	const pid = app.pid()!;
	say(
		`wall: node build (pid ${pid}) on ${app.url}, nats ${nats.url}; ${schools.length} schools, ${devices.length} devices`
	);

	// the last quarter hour of heartbeats, so uptime has a window to measure
	const now0 = Date.now();
	await publishAll(
		nc,
		Array.from({ length: 16 }, (_, m) =>
			heartbeats(schools, now0 - (m + 1) * 60_000, `warm${m}`)
		).flat()
	);

	async function apiSeq(): Promise<number> {
		const r = (await (
			await fetch(`${app.url}/api/wall`, { headers: { cookie: app.cookie } })
		).json()) as { kpis: { seq: number } | null };
		return r.kpis?.seq ?? -1;
	}
	// wait until the warm-up is written and the seq stands still
	let last = -2;
	for (let i = 0; i < 120; i++) {
		const s = await apiSeq();
		if (s === last && s > 0) break;
		last = s;
		await sleep(1000);
	}
	const base = await apiSeq();
	say(`warm-up written: seq ${base}`);

	// ---------- Chromium on the quiet server: the first drawn map, 5 loads
	const browser = (started.browser = await chromium.launch(CHROMIUM_LAUNCH));
	const session = { name: 'edu_session', value: app.cookie.split('=')[1], url: app.url };
	/** 5 loads at one size, each in a fresh context (nothing cached, as a wall screen opening the page for the day). */
	const firstDrawn = async (width: number, height: number) => {
		const out: number[] = [];
		for (let i = 0; i < 5; i++) {
			const ctx = await browser.newContext({ viewport: { width, height } });
			await ctx.addCookies([session]);
			const p = await ctx.newPage();
			await p.goto(`${app.url}/wall`);
			await p.waitForSelector('[data-testid=wall-map][data-ready="1"]', { timeout: 60_000 });
			out.push(Number(await p.getAttribute('[data-testid=wall-map]', 'data-since-navigation')));
			await ctx.close();
		}
		const median = [...out].sort((a, b) => a - b)[2];
		say(
			`chromium: first drawn map ${out.join(', ')} ms from navigation start (median ${median}; ${width}×${height}, software WebGL, quiet server)`
		);
		return median;
	};
	const firstDraw = await firstDrawn(1920, 1080);
	// the second target (≤ 3.0 s at 4K), printed on its own line
	await firstDrawn(3840, 2160);
	const wallJs = clientBundle().pages.find((p) => p.route === '/wall');
	if (!wallJs) throw new Error('no /wall page in the client build');

	// ---------- /proc readings
	const proc = procReader(pid);
	const HZ = proc.HZ;
	const cpuTicks = proc.cpuTicks;
	const rssMb = proc.rssMb;
	const rss = (started.rss = rssPeak(pid));

	// ---------- SSE clients
	const t0 = Date.now();
	await openSseClients(`${app.url}/api/live?topics=wall.kpis`, app.cookie, CLIENTS, agent, clients);
	say(`${clients.length} SSE clients connected in ${Date.now() - t0} ms`);
	await sleep(2000);

	// ---------- load
	interface Probe {
		seq: number;
		at: number;
	}
	let published = 0;
	async function publishFor(seconds: number, probes: Probe[]): Promise<void> {
		const perTick = Math.round((RATE * TICK_MS) / 1000);
		const end = Date.now() + seconds * 1000;
		let next = Date.now();
		while (Date.now() < end) {
			const now = Date.now();
			const acks: Promise<unknown>[] = [];
			for (let k = 0; k < perTick; k++) {
				const i = published++;
				const { subject, event } = eventAt(i, now);
				if ((i + 1) % PROBE_EVERY === 0) probes.push({ seq: base + i + 1, at: Date.now() });
				acks.push(js.publish(subject, enc.encode(JSON.stringify(event))));
			}
			await Promise.all(acks);
			next += TICK_MS;
			await sleep(Math.max(0, next - Date.now()));
		}
	}

	const cpu0 = cpuTicks();
	const w0 = Date.now();
	const sseProbes: Probe[] = [];
	await publishFor(SSE_SECONDS, sseProbes);
	const publishedSse = published;
	// let the last probes arrive
	for (let i = 0; i < 30 && (await apiSeq()) < base + publishedSse; i++) await sleep(500);
	await sleep(2500);
	const cpuS = (cpuTicks() - cpu0) / HZ;
	const wallS = (Date.now() - w0) / 1000;

	const { lat, missed } = deliveryDelays(clients, sseProbes);
	const dropped = clients.filter((c) => c.closed).length;
	const frames = clients.reduce((a, c) => a + c.frames, 0) / clients.length;
	const sseP95 = pct(lat, 95);
	say(
		`load: ${publishedSse} events in ${SSE_SECONDS} s (${Math.round(publishedSse / SSE_SECONDS)}/s), ${sseProbes.length} probes × ${clients.length} clients`
	);
	say(
		`sse: publish → frame p50 ${pct(lat, 50)} ms, p95 ${sseP95} ms, max ${pct(lat, 100)} ms; ${frames.toFixed(1)} frames per client; missed ${missed}; clients cut off ${dropped}`
	);
	say(
		`server: cpu ${((cpuS / wallS) * 100).toFixed(0)}% of one core over ${wallS.toFixed(0)} s; rss now ${rssMb().toFixed(0)} MB, peak ${rss.peak().toFixed(0)} MB`
	);
	const hub = (await (await fetch(`${app.url}/api/health`)).json()) as Health;
	say(
		`ingest: events_total ${hub.ingest.events_total}, rejects ${hub.ingest.rejects_total}, lag ${hub.ingest.lag}`
	);
	for (const [name, t] of Object.entries(hub.live?.topics ?? {}))
		say(
			`hub: ${name} computed ${t.computes} times, mean ${t.mean_ms} ms, last ${t.last_ms} ms (once per tick for all ${hub.live?.clients} clients)`
		);

	// ---------- Chromium: publish → DOM
	const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
	// the wall needs an account: the test admin's session, as the app server signed it in
	await page
		.context()
		.addCookies([{ name: 'edu_session', value: app.cookie.split('=')[1], url: app.url }]);
	const js_: { url: string; gzip: number; raw: number }[] = [];
	page.on('response', async (r) => {
		const url = r.url();
		if (!url.endsWith('.js') && !url.endsWith('.mjs')) return;
		try {
			const body = await r.body();
			js_.push({ url, gzip: gzipSync(body).length, raw: body.length });
		} catch {
			/* worker scripts may not expose a body */
		}
	});
	const g0 = Date.now();
	await page.goto(`${app.url}/wall`);
	await page.waitForSelector('[data-testid=wall-map][data-ready="1"]', { timeout: 60_000 });
	const firstMapMs = Date.now() - g0;
	const mapMs = await page.getAttribute('[data-testid=wall]', 'data-map-ms');
	await page.evaluate(() => {
		const w = window as unknown as { __seqs: [number, number][] };
		w.__seqs = [];
		const el = document.querySelector('[data-testid=wall]')!;
		new MutationObserver(() =>
			w.__seqs.push([Date.now(), Number(el.getAttribute('data-seq'))])
		).observe(el, { attributes: true, attributeFilter: ['data-seq'] });
	});
	const screenProbes: Probe[] = [];
	const beforeScreen = published;
	await publishFor(SCREEN_SECONDS, screenProbes);
	for (let i = 0; i < 30 && (await apiSeq()) < base + published; i++) await sleep(500);
	await sleep(3000);
	const seqs = (await page.evaluate(
		() => (window as unknown as { __seqs: [number, number][] }).__seqs
	)) as [number, number][];
	const screen: number[] = [];
	let screenMissed = 0;
	for (const p of screenProbes) {
		const hit = seqs.find(([, s]) => s >= p.seq);
		if (hit) screen.push(hit[0] - p.at);
		else screenMissed++;
	}
	const screenP95 = pct(screen, 95);
	say(
		`chromium: publish → DOM p50 ${pct(screen, 50)} ms, p95 ${screenP95} ms over ${screen.length} probes (${published - beforeScreen} events), ${screenMissed} not shown`
	);
	say(
		`chromium: the live test's page drew its map ${mapMs} ms after the map code started, ${firstMapMs} ms after goto (with the SSE clients connected)`
	);
	const gz = js_.reduce((a, f) => a + f.gzip, 0);
	const raw = js_.reduce((a, f) => a + f.raw, 0);
	const biggest = [...js_]
		.sort((a, b) => b.gzip - a.gzip)
		.slice(0, 4)
		.map((f) => `${f.url.split('/').pop()} ${(f.gzip / 1024).toFixed(0)} kB`);
	say(
		`/wall JavaScript: ${(gz / 1024).toFixed(0)} kB gzip (${(raw / 1024).toFixed(0)} kB raw) in ${js_.length} files; largest: ${biggest.join(', ')}`
	);
	say(
		`wall clients=${clients.length} event_to_screen_p95_ms=${screenP95} sse_p95_ms=${sseP95} missed=${missed + screenMissed} server_rss_mb=${Math.round(rss.peak())} js_gzip_kb=${Math.round(wallJs.kb)} first_draw_ms=${firstDraw}`
	);
} catch (error) {
	console.error(error);
	if (started.app) console.error(started.app.log().slice(-2000));
	process.exitCode = 1;
} finally {
	await stopAll();
}
process.exit(process.exitCode ?? 0);
