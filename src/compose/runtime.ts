/**
 * The composition root of the app process: the one place that puts the app's services and, in the
 * embedded mode, the ingest worker and the demo feed together in one process (chDB allows one
 * process per data directory). Only src/hooks.server.ts, the framework's entry, imports this
 * file; the app's code reaches the services through $lib/server/app-runtime.
 */
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { demoShiftMs } from '#ingest/feed/demo-clock';
import { DemoFeed } from '#ingest/feed/feed';
import { natsSink } from '#ingest/feed/nats-sink';
import { feedOptions } from '#ingest/feed/options';
import { startIngestWorker } from '#ingest/worker';
import { dev } from '$app/environment';
import type { Health } from '../lib/shared/health';
import { AlertService } from '../lib/server/alerts/service';
import { DigestService } from '../lib/server/digest/service';
import { provideRuntime, type Runtime } from '../lib/server/app-runtime';
import { EMPTY_INGEST, ingestFromReports, problemsOf } from '../lib/server/health';
import { DayClock } from '../lib/server/kpi/day-clock';
import { LiveHub } from '../lib/server/live/hub';
import { mailer } from '../lib/server/notify/channels';
import { NotifyService } from '../lib/server/notify/service';
import { vapidKeys } from '../lib/server/notify/vapid';
import { makeReport } from '../lib/server/reports/engine';
import { ReportJobs } from '../lib/server/reports/jobs';
import { closeClickHouse } from '../lib/server/platform/clickhouse/client';
import { loadConfig, type Config } from '../lib/server/platform/config';
import { logger, setLogLevel } from '../lib/server/platform/log';
import { NightlyReconcile } from '../lib/server/platform/clickhouse/reconcile';
import { natsOptions } from '../lib/server/platform/nats/streams';
import { prepareStorage } from '../lib/server/platform/storage';
import { audit } from '../lib/server/store/audit';
import { openStore } from '../lib/server/store/open';
import { ensureAdmin } from '../lib/server/store/users';
import { WallService } from '../lib/server/wall/service';
import { addWallTopics } from '../lib/server/wall/topics';
import {
	STOP_BUDGET_MS,
	StartError,
	checkPort,
	failureLine,
	ownProcessEnd,
	within
} from './lifecycle';

const log = logger('runtime');

/**
 * Start everything this process runs in its mode. A start that fails closes what it had opened
 * (the feed and ingest stopped, chDB closed once nothing runs in it) before it rethrows.
 */
export async function startRuntime(cfg: Config): Promise<Runtime> {
	const opened: (() => unknown)[] = [];
	try {
		return await composeRuntime(cfg, opened);
	} catch (error) {
		for (const close of opened.reverse())
			await within(Promise.resolve().then(close), STOP_BUDGET_MS / 2);
		throw error;
	}
}

async function composeRuntime(cfg: Config, opened: (() => unknown)[]): Promise<Runtime> {
	setLogLevel(cfg.logLevel);
	const store = await openStore({ dataDir: cfg.dataDir, databaseUrl: cfg.store.databaseUrl });
	opened.push(() => store.close());
	const admin = await ensureAdmin(store, cfg.admin);
	if (admin) {
		await audit(store, {
			actor: 'system',
			action: 'user.create',
			target: `account:${admin.email}`,
			detail: { role: 'admin', first_start: true }
		});
		// printed once, to the console only (never to the structured log)
		if (admin.password)
			console.log(
				[
					'',
					'  First start: an admin was created.',
					`    email:    ${admin.email}`,
					`    password: ${admin.password}`,
					`  Sign in at /login and change it (npm run user -- password ${admin.email}).`,
					''
				].join('\n')
			);
		else log.info('admin created from ADMIN_EMAIL', { email: admin.email });
	}
	const { ch, registry } = await prepareStorage(cfg);
	opened.push(() => closeClickHouse(ch));
	// In the embedded mode the app is the ingest worker too; on servers ingest is its own service.
	const worker =
		cfg.mode === 'embedded'
			? await startIngestWorker({ cfg, ch, registry, log: logger('ingest') })
			: null;
	if (worker) opened.push(() => worker.stop());

	let feed: DemoFeed | null = null;
	// "today" follows the feed's demo clock when this process runs the feed, else its own
	let shiftMs: number | null = null;
	if (cfg.feed.enabled) {
		const opts = await feedOptions(cfg, ch, log);
		shiftMs = opts.shiftMs ?? 0;
		if (worker?.nc)
			feed = new DemoFeed(natsSink(jetstream(worker.nc)), () => registry.registry, opts);
		else if (worker)
			feed = new DemoFeed(
				(subject, data) => worker.submit(subject, data),
				() => registry.registry,
				opts
			);
		else
			log.warn(
				'FEED is on but this process does not ingest; run `npm run feed` against NATS instead'
			);
		if (feed) {
			const started = feed;
			opened.push(() => started.stop());
			void feed.start();
			log.info('demo feed started', {
				speed: cfg.feed.speed,
				backfill_minutes: cfg.feed.backfillMinutes
			});
		}
	}

	let registryRefresh: NodeJS.Timeout | null = null;
	if (cfg.mode === 'server') {
		// another process (ingest, an import) may change the registry: refresh it now and then
		registryRefresh = setInterval(
			() => void registry.reload().catch((error) => log.warn('registry reload failed', { error })),
			60_000
		);
		registryRefresh.unref();
	}

	const clock = new DayClock(shiftMs ?? (cfg.feed.clock === 'demo' ? demoShiftMs(Date.now()) : 0));
	const wall = new WallService(ch, registry, clock);
	const hub = new LiveHub(logger('live'), cfg.wall.tickMs);
	// alert transitions go out on NATS when this process has a connection (the ingest worker's,
	// or its own on servers); the embedded mode without NATS skips them and says so in /api/health
	const nc =
		worker?.nc ??
		(cfg.nats.servers.length ? await connect(natsOptions(cfg, 'edu-app-alerts')) : null);
	if (nc && nc !== worker?.nc) opened.push(() => nc.close());
	const alerts = new AlertService({
		ch,
		store,
		registry,
		clock,
		log: logger('alerts'),
		publish: nc ? (subject, data) => nc.publish(subject, data) : null
	});
	alerts.on(() => void hub.refresh('wall.alerts').catch(() => undefined));
	// notifications work the outbox on their own timer; a transition only wakes them up
	const vapid = await vapidKeys(store, cfg.notify.from);
	const notify = new NotifyService({
		store,
		registry,
		log: logger('notify'),
		mailer: mailer(cfg.notify.smtpUrl, cfg.notify.from, new URL(cfg.notify.origin).hostname),
		emailOn: !!cfg.notify.smtpUrl,
		vapid,
		origin: cfg.notify.origin
	});
	alerts.on(() => void notify.tick());
	// reports are made one at a time in the background (the /reports page polls them)
	const reportLog = logger('reports');
	const reports = new ReportJobs(
		(spec, locale, step) =>
			makeReport({ ch, clock, store, registry: registry.registry }, spec, locale, Date.now(), step),
		Date.now,
		(job, error) => reportLog.error('report failed', { job: job.id, label: job.label, error })
	);
	// weekly digests: checked on the dispatcher's period (a due week is a subtraction away), their
	// mails go through the same outbox, and planning them wakes the dispatcher
	const digest = new DigestService({
		ch,
		store,
		registry,
		clock,
		log: logger('digest'),
		origin: cfg.notify.origin,
		wake: () => void notify.tick()
	});

	// the day before, compared with the raw tables once a night (docs/reconcile.md)
	const reconciler = new NightlyReconcile(ch, logger('reconcile'));

	const rt: Runtime = {
		cfg,
		ch,
		store,
		registry,
		clock,
		wall,
		hub,
		alerts,
		notify,
		digest,
		vapid,
		reports,
		async health(): Promise<Health> {
			const ingest = worker ? worker.stats.snapshot() : await ingestFromReports(ch);
			const base = {
				mode: cfg.mode,
				source: worker ? worker.source : ingest ? ('nats' as const) : ('none' as const),
				feed: feed !== null,
				feed_backfilling: feed?.backfilling ?? false,
				schools: registry.registry.schools.length,
				districts: registry.areasAt('district').length,
				ingest: ingest ?? EMPTY_INGEST,
				reconciliation: await reconciler.latest()
			};
			const problems = problemsOf(base);
			return {
				status: problems.length ? 'degraded' : 'ok',
				...base,
				problems,
				live: hub.stats(),
				alerts: alerts.health(),
				notify: await notify.health()
			};
		},
		async stop({ deadline = Date.now() + STOP_BUDGET_MS, httpClosed } = {}) {
			const t0 = Date.now();
			const left = () => deadline - Date.now();
			const ms: Record<string, number> = {};
			const timed = (name: string, p: Promise<unknown>) =>
				p.finally(() => (ms[name] = Date.now() - t0));
			// nothing new: every live stream ends now (a screen reconnects to whatever serves next),
			// so the HTTP server can close; no timer starts more work
			const streams = hub.clients;
			hub.stop();
			alerts.stop();
			if (registryRefresh) clearInterval(registryRefresh);
			// the feed stops publishing and ingest writes the batch in hand and acks it; what it cannot
			// write in time stays unacked and NATS redelivers it (the embedded feed replays its window)
			const inHand = worker?.pipeline.buffered ?? 0;
			const writtenBefore = worker?.stats.eventsTotal ?? 0;
			const ingest = timed(
				'ingest',
				(async () => {
					if (feed) await feed.stop();
					if (worker) await worker.stop();
				})()
			);
			// meanwhile requests in flight finish (adapter-node closes the server on the same signal)
			// and the outbox and digests finish their tick. Report jobs live in memory and end with
			// the process: a report being made is not waited for.
			const quiet = timed(
				'http',
				Promise.all([httpClosed, digest.stop(), notify.stop(), reconciler.stop()])
			);
			const [drained, calm] = await Promise.all([
				within(ingest, left() - 1500),
				within(quiet, left() - 1500)
			]);
			if (!drained) log.warn('ingest not drained in time: NATS redelivers what was not acked');
			if (!calm) log.warn('requests still in flight at shutdown');
			// closed, chDB starts nothing new; a query or insert running in it cannot be interrupted
			// and is waited for (an exit under it crashes), so it gets the last 1.5 s
			if (!(await timed('chdb', closeClickHouse(ch, left() - 300))))
				log.warn('chDB still running a query at shutdown');
			if (nc && nc !== worker?.nc) await within(nc.close(), 100);
			await store.close();
			log.info('runtime stopped', {
				streams_ended: streams,
				in_hand: inHand,
				written_at_stop: (worker?.stats.eventsTotal ?? 0) - writtenBefore,
				ms
			});
		}
	};
	addWallTopics({
		hub,
		wall,
		registry,
		alerts,
		health: () => rt.health(),
		staleAfterS: cfg.wall.staleAfterS,
		tickMs: cfg.wall.tickMs
	});
	hub.start();
	alerts.start(cfg.alerts.everyS * 1000);
	notify.start(cfg.notify.everyMs);
	digest.start(cfg.notify.everyMs);
	reconciler.start();
	return rt;
}

let starting: Promise<Runtime> | null = null;

/**
 * Start (once) the app process's runtime and hand it to the app's code; from `init` in hooks.
 * The process's end is this root's too (lifecycle.ts): a taken port or a failed start is one line
 * and exit 1, SIGTERM stops everything within a few seconds and exits 0.
 */
export function bootApp(): Promise<Runtime> {
	if (!starting) {
		starting = boot();
		provideRuntime(starting);
	}
	return starting;
}

async function boot(): Promise<Runtime> {
	const say = (line: string) => process.stderr.write(line + '\n');
	let cfg: Config | null = null;
	try {
		cfg = loadConfig();
		// adapter-node listens only after `init`: try the port before chDB is opened
		if (!cfg.socket && !dev) await checkPort(cfg.host, cfg.port);
		// adapter-node emits this when its HTTP server has closed (SIGTERM/SIGINT, or idle)
		const httpClosed = new Promise((r) => process.once('sveltekit:shutdown', r));
		const rt = await startRuntime(cfg);
		ownProcessEnd({
			log: logger('app'),
			dataDir: cfg.dataDir,
			stop: (deadline, signalled) =>
				rt.stop({ deadline, httpClosed: signalled ? httpClosed : undefined })
		});
		return rt;
	} catch (error) {
		say(failureLine(error, cfg?.dataDir ?? 'DATA_DIR'));
		if (!(error instanceof StartError))
			logger('app').debug('start failed', { error, stack: (error as Error)?.stack });
		// under `vite dev` the dev server stays up and shows the error
		if (dev) throw error;
		// what the start had opened is closed (startRuntime): nothing native runs any more
		process.exit(1);
	}
}
