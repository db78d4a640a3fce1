/**
 * The app process's services as the routes and the server code see them. The composition root
 * (src/compose/runtime.ts, started by `init` in hooks.server.ts) builds them and provides them
 * here; nothing in src/lib imports the root, so the app never depends on how it was composed
 * (embedded with ingest in process, or a server reading what other processes write).
 */
import type { Health } from '../shared/health';
import type { AlertService } from './alerts/service';
import type { DigestService } from './digest/service';
import type { DayClock } from './kpi/day-clock';
import type { LiveHub } from './live/hub';
import type { NotifyService } from './notify/service';
import type { Vapid } from './notify/channels';
import type { CH } from './platform/clickhouse/client';
import type { Config } from './platform/config';
import type { RegistryCache } from './platform/registry/cache';
import type { ReportJobs } from './reports/jobs';
import type { Store } from './store/open';
import type { WallService } from './wall/service';

export interface Runtime {
	cfg: Config;
	ch: CH;
	/** users, sessions, the audit log (SQLite or PostgreSQL) */
	store: Store;
	registry: RegistryCache;
	/** "today" for the wall: the demo clock's shifted day, or the calendar day */
	clock: DayClock;
	wall: WallService;
	hub: LiveHub;
	alerts: AlertService;
	/** email, Web Push and webhooks for alert transitions (the outbox) */
	notify: NotifyService;
	/** weekly digests of each district to its contacts, by email through the outbox */
	digest: DigestService;
	/** Web Push's key pair (the public key goes to browsers that subscribe) */
	vapid: Vapid;
	/** reports being made and made (the /reports page) */
	reports: ReportJobs;
	health(): Promise<Health>;
	/**
	 * Stop everything by `deadline` (ms since the epoch; default a few seconds from now): live
	 * streams end at once, ingest writes the batch in hand, requests in flight (`httpClosed`
	 * resolves when the HTTP server has closed) finish before the stores close.
	 */
	stop(opts?: { deadline?: number; httpClosed?: Promise<unknown> }): Promise<void>;
}

let provided: Promise<Runtime> | null = null;

/** Called once by the composition root with the runtime it is starting. */
export function provideRuntime(runtime: Promise<Runtime>): void {
	if (provided) throw new Error('the app runtime was provided twice');
	provided = runtime;
}

/** The started runtime (it is started by hooks `init` before any request is handled). */
export function appRuntime(): Promise<Runtime> {
	if (!provided) throw new Error('the app runtime is not started: hooks.server.ts init starts it');
	return provided;
}
