/**
 * npm run bench:scale — the product at 10× the city, in one run on this machine:
 *  1. nats-server, `node build` (embedded chDB, its ingest on NATS, REGISTRY_SCHOOLS=5000) and the
 *     demo feed as its own process (`npm run feed`, same registry) publishing the school day,
 *     stamped now (the demo clock puts now in school hours, when every classroom device
 *     heartbeats every minute: the day's plateau of events);
 *  2. waits until ingest has drained the feed's backfill, then opens N SSE screens (default 1,000)
 *     on /api/live?topics=wall.kpis;
 *  3. for BENCH_SECONDS, while the feed runs live: probes (one device heartbeat every 100 ms,
 *     published by this bench) whose delay at each screen is publish → the first `wall.kpis`
 *     frame whose `seq` covers the probe's stream sequence; drill-down requests one after the
 *     other (district and school pages, server-rendered, whole body); the hub's `wall.kpis`
 *     computation times (sampled from /api/health); the app's peak RSS.
 * Last line: scale schools=<n> events_per_s=<n> kpis_ms_p95=<n> sse_p95_ms=<n> drill_p95_ms=<n> rss_mb=<n>
 * Everything it starts is stopped when it ends, also when a step fails or it is interrupted.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { subjectFor, type EduEventInput } from '#shared/contract';
import { devicesOf } from '#shared/devices';
import type { Health } from '#shared/health';
import { seedRegistry } from '#server/platform/registry/seed';
import { appServer, type AppServer } from '#harness/app-server';
import { spawnOwned, stopChild } from '#harness/children';
import { startNatsServer, type NatsServer } from '#harness/nats-server';
import { consumerBacklog } from '#harness/publish';
import {
	deliveryDelays,
	getJson,
	openSseClients,
	pct,
	procReader,
	rssPeak,
	say,
	sleep,
	type SseClient
} from './live-load';

const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 5000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 45);
const HISTORY_DAYS = process.env.BENCH_HISTORY_DAYS ?? '0';
const BACKFILL_MINUTES = process.env.BENCH_BACKFILL_MINUTES ?? '3';
const PROBE_MS = 100;

const registry = seedRegistry(SCHOOLS);
const devices = registry.schools.flatMap((s) => devicesOf(s).map((d) => ({ s, d })));
const enc = new TextEncoder();

const started: {
	nats?: NatsServer;
	nc?: NatsConnection;
	app?: AppServer;
	feed?: ChildProcess;
	rss?: ReturnType<typeof rssPeak>;
} = {};
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const clients: SseClient[] = [];
let feedLog = '';
async function stopAll(): Promise<void> {
	started.rss?.stop();
	for (const c of clients) c.req.destroy();
	agent.destroy();
	if (started.feed) await stopChild(started.feed, 5000).catch(() => undefined);
	await started.nc?.close().catch(() => undefined);
	await started.app?.stop().catch(() => undefined);
	await started.nats?.stop().catch(() => undefined);
}
for (const sig of ['SIGINT', 'SIGTERM'] as const)
	process.once(sig, () => void stopAll().finally(() => process.exit(130)));

function probe(i: number): { subject: string; event: EduEventInput } {
	const { s, d } = devices[(i * 7919) % devices.length];
	return {
		subject: subjectFor('device', s.area_id, s.school_id),
		event: {
			kind: 'device',
			event_id: `bs-p-${String(i).padStart(8, '0')}`,
			schema: 1,
			school_id: s.school_id,
			ts: new Date().toISOString(),
			payload: {
				device_id: d.device_id,
				room: d.room,
				device_kind: d.device_kind,
				status: 'up',
				event: 'heartbeat',
				interval_s: 60
			}
		}
	};
}

try {
	const t00 = Date.now();
	// ---------- the product
	const nats = (started.nats = await startNatsServer());
	const nc = (started.nc = await connect({ servers: nats.url }));
	const js = jetstream(nc);
	const app = (started.app = await appServer(
		{
			NATS_URL: nats.url,
			FEED: '0',
			REGISTRY_SCHOOLS: String(SCHOOLS),
			LOG_LEVEL: 'warn'
		},
		// BENCH_APP_PROFILE=<dir>: the app writes a V8 CPU profile there when it stops
		process.env.BENCH_APP_PROFILE
			? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_APP_PROFILE}`] }
			: {}
	));
	await app.start();
	const pid = app.pid()!;
	// a fresh connection each time (a pooled one the server closed while busy would reset), and
	// patience: the app's event loop can be busy for seconds while the backfill lands
	const health = async (): Promise<Health> => {
		for (let attempt = 0; ; attempt++)
			try {
				return await getJson<Health>(`${app.url}/api/health`, app.cookie);
			} catch (error) {
				if (attempt >= 5 || app.pid() === null)
					throw new Error(`health: ${error} (app ${app.pid() === null ? 'exited' : 'running'})`, {
						cause: error
					});
				await sleep(1000);
			}
	};
	const h0 = await health();
	say(
		`scale: node build (pid ${pid}) on ${app.url}, nats ${nats.url}; registry ${h0.schools} schools, ${devices.length} devices (up in ${((Date.now() - t00) / 1000).toFixed(0)} s)`
	);
	if (h0.schools !== SCHOOLS) throw new Error(`the app has ${h0.schools} schools, not ${SCHOOLS}`);

	const tsx = path.resolve('node_modules/.bin/tsx');
	const feed = (started.feed = spawnOwned(tsx, ['ingest/feed-main.ts'], {
		env: {
			...process.env,
			NATS_URL: nats.url,
			REGISTRY_SCHOOLS: String(SCHOOLS),
			FEED_CLOCK: 'demo',
			FEED_BACKFILL_MINUTES: BACKFILL_MINUTES,
			FEED_HISTORY_DAYS: HISTORY_DAYS,
			LOG_LEVEL: 'info'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	}));
	feed.stdout?.on('data', (b) => (feedLog += b));
	feed.stderr?.on('data', (b) => (feedLog += b));

	// ---------- the backfill: wait until ingest has caught up with the feed
	const tf = Date.now();
	let lastTotal = 0;
	for (let i = 0; ; i++) {
		if (feed.exitCode !== null) throw new Error(`the feed exited: ${feedLog.slice(-2000)}`);
		// ~470,000 events: 140-220 s here at a load average of 3-8, more than 270 s at 16 (written at
		// ~550/s): the wait before the measured window, which it does not change
		if (Date.now() - tf > 600_000) throw new Error('the backfill was not written in 600 s');
		await sleep(2000);
		const b = await consumerBacklog(nc, 'EDU', 'ingest').catch(() => null);
		const total = (await health()).ingest.events_total;
		if (i % 5 === 0) say(`backfill: ${total} events written, ${b?.pending ?? '?'} pending`);
		// the feed has published its backfill ("feed started"; a window it had to retry follows) and
		// ingest has caught up: little pending, and writing at about the live rate
		if (
			feedLog.includes('feed started') &&
			b &&
			b.pending + b.ackPending < 2000 &&
			total - lastTotal < 4000
		)
			break;
		lastTotal = total;
	}
	say(
		`backfill written in ${((Date.now() - tf) / 1000).toFixed(0)} s: ${(await health()).ingest.events_total} events`
	);

	// ---------- screens
	const proc = procReader(pid);
	const rss = (started.rss = rssPeak(pid));
	const t0 = Date.now();
	await openSseClients(`${app.url}/api/live?topics=wall.kpis`, app.cookie, CLIENTS, agent, clients);
	say(`${clients.length} SSE clients connected in ${Date.now() - t0} ms`);
	await sleep(2000);

	// ---------- the measured window
	// Calibrate the probes: a frame's `seq` counts events written as new; the stream also holds
	// messages that were not (the feed's re-sent windows, rejects). With ingest caught up, their
	// number is the stream's last sequence minus what was counted: a probe at stream sequence s is
	// covered by a frame whose seq reaches s minus that.
	const jsm = await jetstreamManager(nc);
	for (let i = 0; i < 40; i++) {
		const b = await consumerBacklog(nc, 'EDU', 'ingest');
		if (b.pending + b.ackPending === 0) break;
		await sleep(250);
	}
	const lastSeq0 = (await jsm.streams.info('EDU')).state.last_seq;
	const hA = await health();
	const offset0 = lastSeq0 - hA.ingest.events_total - hA.ingest.rejects_total;
	const cpu0 = proc.cpuTicks();
	const w0 = Date.now();
	const end = w0 + SECONDS * 1000;
	const probes: { seq: number; at: number }[] = [];
	let probeErrors = 0;
	const kpiMs: number[] = [];
	const drill: { kind: 'district' | 'school'; ms: number }[] = [];
	const bytes0 = clients.reduce((a, c) => a + c.bytes, 0);

	const probing = (async () => {
		let i = 0;
		let next = Date.now();
		while (Date.now() < end) {
			const { subject, event } = probe(i++);
			const at = Date.now();
			try {
				const ack = await js.publish(subject, enc.encode(JSON.stringify(event)));
				probes.push({ seq: ack.seq - offset0, at });
			} catch {
				// a publish JetStream did not confirm in time (a busy machine): not a probe
				probeErrors++;
			}
			next += PROBE_MS;
			await sleep(Math.max(0, next - Date.now()));
		}
	})();
	// /api/health answers from memory (its chDB and SQLite reads are kept for 30 s and 5 s): its
	// time is how long a request waits for the app's event loop, the drill pages' without chDB
	const healthMs: number[] = [];
	const sampling = (async () => {
		let computes = -1;
		while (Date.now() < end) {
			const th = performance.now();
			const h = await health();
			healthMs.push(performance.now() - th);
			const t = h.live?.topics['wall.kpis'];
			if (t && t.computes !== computes) {
				if (computes >= 0) kpiMs.push(t.last_ms);
				computes = t.computes;
			}
			await sleep(250);
		}
	})();
	const drilling = (async () => {
		const districts = registry.areas.filter((a) => a.level === 'district').map((a) => a.area_id);
		let i = 0;
		while (Date.now() < end) {
			const kind = i % 3 === 0 ? 'district' : 'school';
			const url =
				kind === 'district'
					? `${app.url}/districts/${districts[(i / 3) % districts.length]}`
					: `${app.url}/schools/${registry.schools[(i * 104_729) % registry.schools.length].school_id}`;
			const t = performance.now();
			const r = await fetch(url, { headers: { cookie: app.cookie } });
			await r.text();
			if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
			drill.push({ kind, ms: performance.now() - t });
			i++;
			await sleep(200);
		}
	})();
	await Promise.all([probing, sampling, drilling]);
	const hB = await health();
	const wallS = (Date.now() - w0) / 1000;
	const cpuS = (proc.cpuTicks() - cpu0) / proc.HZ;
	// let the last probes arrive
	const lastProbe = probes.at(-1)?.seq ?? 0;
	for (let i = 0; i < 20 && (await health()).ingest.events_total < lastProbe; i++) await sleep(500);
	await sleep(2000);

	// messages not counted as new events that came during the window (each makes a probe's delay
	// read longer, never shorter)
	const si = await jsm.streams.info('EDU');
	const hC = await health();
	const offset = si.state.last_seq - hC.ingest.events_total - hC.ingest.rejects_total - offset0;

	const { lat, missed } = deliveryDelays(clients, probes);
	const dropped = clients.filter((c) => c.closed).length;
	const frames = clients.reduce((a, c) => a + c.frames, 0) / clients.length;
	const kbPerClientS =
		(clients.reduce((a, c) => a + c.bytes, 0) - bytes0) / clients.length / wallS / 1024;
	const eventsPerS = Math.round((hB.ingest.events_total - hA.ingest.events_total) / wallS);
	const drillMs = drill.map((d) => d.ms);
	const by = (k: 'district' | 'school') => drill.filter((d) => d.kind === k).map((d) => d.ms);

	say(
		`load: ${eventsPerS} events/s written over ${wallS.toFixed(0)} s (feed + ${probes.length} probes, ${probeErrors} probe publishes unconfirmed); ${offset0} stream messages not new events before it, ${offset} during it`
	);
	say(
		`sse: publish → frame p50 ${pct(lat, 50)} ms, p95 ${pct(lat, 95)} ms, max ${pct(lat, 100)} ms; ${frames.toFixed(1)} frames and ${kbPerClientS.toFixed(1)} kB/s per client; missed ${missed}; clients cut off ${dropped}`
	);
	say(
		`kpis: ${kpiMs.length} computations sampled, p50 ${pct(kpiMs, 50)} ms, p95 ${pct(kpiMs, 95)} ms, max ${pct(kpiMs, 100)} ms`
	);
	say(
		`drill: district pages p50 ${pct(by('district'), 50)?.toFixed(0)} ms p95 ${pct(by('district'), 95)?.toFixed(0)} ms (${by('district').length}); school pages p50 ${pct(by('school'), 50)?.toFixed(0)} ms p95 ${pct(by('school'), 95)?.toFixed(0)} ms (${by('school').length})`
	);
	say(
		`health (the event loop's answer time): p50 ${pct(healthMs, 50)?.toFixed(0)} ms, p95 ${pct(healthMs, 95)?.toFixed(0)} ms, max ${pct(healthMs, 100)?.toFixed(0)} ms (${healthMs.length})`
	);
	say(
		`server: cpu ${((cpuS / wallS) * 100).toFixed(0)}% of one core; rss now ${rss.now().toFixed(0)} MB, peak ${rss.peak().toFixed(0)} MB`
	);
	for (const [name, t] of Object.entries(hC.live?.topics ?? {}))
		say(`hub: ${name} computed ${t.computes} times, mean ${t.mean_ms} ms, last ${t.last_ms} ms`);
	if (hC.alerts)
		say(
			`alerts: ${hC.alerts.evaluations} evaluations, last ${hC.alerts.last_ms ?? '?'} ms, ${hC.alerts.open} open, error ${hC.alerts.last_error ?? 'none'}`
		);
	say(
		`scale schools=${hC.schools} events_per_s=${eventsPerS} kpis_ms_p95=${Math.round(pct(kpiMs, 95))} sse_p95_ms=${Math.round(pct(lat, 95))} drill_p95_ms=${Math.round(pct(drillMs, 95))} rss_mb=${Math.round(rss.peak())}`
	);
} catch (error) {
	console.error(error);
	// the whole logs to files, the tails here
	const dir = mkdtempSync(path.join(tmpdir(), 'bench-scale-'));
	if (started.app) writeFileSync(path.join(dir, 'app.log'), started.app.log());
	writeFileSync(path.join(dir, 'feed.log'), feedLog);
	if (started.app) console.error(started.app.log().slice(-1500));
	if (feedLog) console.error(feedLog.slice(-1000));
	console.error(`logs: ${dir}/app.log, ${dir}/feed.log`);
	process.exitCode = 1;
} finally {
	await stopAll();
}
process.exit(process.exitCode ?? 0);
