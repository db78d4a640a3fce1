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
import { loadConfig, type Config } from '../lib/server/platform/config';
import { logger, setLogLevel } from '../lib/server/platform/log';
import { NightlyReconcile } from '../lib/server/platform/clickhouse/reconcile';
import { prepareStorage } from '../lib/server/platform/storage';
import { audit } from '../lib/server/store/audit';
import { openStore } from '../lib/server/store/open';
import { ensureAdmin } from '../lib/server/store/users';
import { WallService } from '../lib/server/wall/service';
import { addWallTopics } from '../lib/server/wall/topics';

const log = logger('runtime');

/** Start everything this process runs in its mode. */
export async function startRuntime(cfg: Config): Promise<Runtime> {
	setLogLevel(cfg.logLevel);
	const store = await openStore({ dataDir: cfg.dataDir, databaseUrl: cfg.store.databaseUrl });
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
	// In the embedded mode the app is the ingest worker too; on servers ingest is its own service.
	const worker =
		cfg.mode === 'embedded'
			? await startIngestWorker({ cfg, ch, registry, log: logger('ingest') })
			: null;

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
		(cfg.nats.url ? await connect({ servers: cfg.nats.url, name: 'edu-app-alerts' }) : null);
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
		async stop() {
			alerts.stop();
			await reconciler.stop();
			await reports.idle();
			await digest.stop();
			await notify.stop();
			hub.stop();
			if (registryRefresh) clearInterval(registryRefresh);
			if (feed) await feed.stop();
			if (worker) await worker.stop();
			await ch.close();
			if (nc && nc !== worker?.nc) await nc.close();
			await store.close();
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

/** Start (once) the app process's runtime and hand it to the app's code; from `init` in hooks. */
export function bootApp(): Promise<Runtime> {
	if (!starting) {
		starting = startRuntime(loadConfig());
		provideRuntime(starting);
		starting.then(
			(rt) => {
				// adapter-node emits this after the HTTP server closed on SIGTERM/SIGINT
				process.once('sveltekit:shutdown', async (reason: string) => {
					logger('app').info('shutting down; draining ingest', { reason });
					await rt.stop().catch((error) => logger('app').error('shutdown failed', { error }));
				});
			},
			(error) => logger('app').error('start failed', { error })
		);
	}
	return starting;
}
