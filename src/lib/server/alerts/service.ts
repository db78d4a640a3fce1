/**
 * The alert service: every `everyMs` (and on demand), read the measurements from ClickHouse,
 * find the conditions that hold (conditions.ts), apply them to the store (store/alerts.ts), and
 * publish each transition: on NATS as `edu.v1.alerts.<state>.<district>.<school>` (when this
 * process has a NATS connection; in the embedded mode it has none and says so in /api/health),
 * and to the listeners in this process (the wall's ticker and rings, the operator console).
 */
import { alertSubject, type AlertRule, type AlertTransition } from '../../shared/alerts';
import type { AlertsHealth } from '../../shared/health';
import type { OpenAlert } from '../../shared/wall';
import { DAY_MS } from '../../shared/calendar';
import { rows, type CH } from '../platform/clickhouse/client';
import { msParam } from '../platform/clickhouse/sql';
import type { Logger } from '../platform/log';
import type { RegistryCache } from '../platform/registry/cache';
import { applyEvaluation, listAlerts, listRules } from '../store/alerts';
import type { Store } from '../store/open';
import { floorMinute, type DayClock } from '../kpi/day-clock';
import { attendanceBySchool, devicesBySchool } from '../kpi/queries';
import { completenessCache } from '../kpi/completeness-cache';
import { districtResolver } from '../kpi/snapshot';
import { conditionsOf, type Measurements } from './conditions';
import { inBackground } from '../platform/clickhouse/lane';

/** What a transition is published to (a NATS connection's publish, or nothing). */
export type Publish = (subject: string, data: Uint8Array) => void;

export async function measure(
	ch: CH,
	registry: RegistryCache,
	clock: DayClock,
	rules: readonly AlertRule[],
	now: number
): Promise<Measurements> {
	const reg = registry.registry;
	const districtOf = districtResolver(reg.areas);
	const enabled = rules.filter((r) => r.enabled);
	const windows = (id: string) => [
		...new Set(enabled.filter((r) => r.id === id).map((r) => r.params.minutes ?? 15))
	];
	const silentMin = Math.max(
		20,
		...enabled
			.filter((r) => r.id === 'school_silent' || r.id === 'library_silent')
			.map((r) => r.params.minutes ?? 20)
	);
	const dayStart = clock.dayStart(now);
	const [attendance, completeness, heard, rejects, ...devices] = await Promise.all([
		attendanceBySchool(ch, dayStart, now, now),
		completenessCache(ch).bySchool(dayStart, now, now),
		rows<{ school_id: string; kind: string; t: string }>(
			ch,
			`SELECT school_id, kind, toUnixTimestamp(max(bucket)) * 1000 + 59999 AS t FROM (
			   SELECT school_id, 'device' AS kind, bucket FROM device_rollup WHERE grain = 1 AND bucket >= ${msParam('from')} AND bucket < ${msParam('now')}
			   UNION ALL SELECT school_id, 'attendance', bucket FROM attendance_rollup WHERE grain = 1 AND bucket >= ${msParam('from')} AND bucket < ${msParam('now')}
			   UNION ALL SELECT school_id, 'library', bucket FROM library_rollup WHERE grain = 1 AND bucket >= ${msParam('from')} AND bucket < ${msParam('now')}
			   UNION ALL SELECT school_id, 'completeness', bucket FROM completeness_rollup WHERE grain = 1 AND bucket >= ${msParam('from')} AND bucket < ${msParam('now')})
			 GROUP BY school_id, kind`,
			{ from: now - 2 * silentMin * 60_000, now }
		),
		Promise.all(
			windows('rejects_spike').map(async (m) => {
				const r = await rows<{ n: string }>(
					ch,
					`SELECT count() AS n FROM rejects WHERE received_at >= ${msParam('from')}`,
					{ from: now - m * 60_000 }
				);
				return [m, Number(r[0]?.n ?? 0)] as const;
			})
		),
		...windows('uptime_low').map(async (m) => {
			// the last full minute, back `m` minutes; the window starts where the stream covered it
			const to = floorMinute(now);
			const from = to - m * 60_000;
			const r = await devicesBySchool(ch, from, to, from - DAY_MS, to - DAY_MS);
			const firsts = [...r.values()].map((d) => d.first_ms).filter((t) => t > 0);
			return [
				m,
				{ from: firsts.length ? Math.max(from, Math.min(...firsts)) : to, to, schools: r }
			] as const;
		})
	]);
	const lastHeard = new Map<string, number>();
	let lastLibrary: number | null = null;
	for (const h of heard) {
		const t = Math.min(Number(h.t), now);
		lastHeard.set(h.school_id, Math.max(lastHeard.get(h.school_id) ?? 0, t));
		if (h.kind === 'library') lastLibrary = Math.max(lastLibrary ?? 0, t);
	}
	return {
		now,
		schools: reg.schools,
		districtOf,
		attendance,
		devices: new Map(devices),
		lastHeard,
		lastLibrary,
		completeness,
		rejects: new Map(rejects)
	};
}

/** What the wall and the console keep of an open alert. */
const OPEN_FIELDS = [
	'id',
	'rule_id',
	'school_id',
	'district_id',
	'state',
	'severity',
	'opened_at',
	'detail',
	'escalated_at'
] as const satisfies readonly (keyof OpenAlert)[];

/** Open alerts the service holds at most (the wall's rings and ticker, the console's live list). */
const OPEN_LIMIT = 50_000;

export class AlertService {
	/** the open alerts (firing, acknowledged), newest first: what the wall and the console show */
	open: OpenAlert[] = [];
	private timer: NodeJS.Timeout | null = null;
	private running: Promise<AlertTransition[]> | null = null;
	private readonly listeners = new Set<(t: AlertTransition) => void>();
	/** transitions published to NATS, and the last evaluation's time and error */
	readonly stats = {
		published: 0,
		evaluations: 0,
		last_at: 0,
		last_ms: 0,
		last_error: null as string | null
	};

	constructor(
		private readonly deps: {
			ch: CH;
			store: Store;
			registry: RegistryCache;
			clock: DayClock;
			log: Logger;
			publish: Publish | null;
		}
	) {}

	get publishing(): boolean {
		return this.deps.publish !== null;
	}

	/** Listen to every transition (the wall, the console); returns the unsubscribe. */
	on(f: (t: AlertTransition) => void): () => void {
		this.listeners.add(f);
		return () => this.listeners.delete(f);
	}

	/** Reload the open alerts from the store (after any change, from any process). */
	async reload(): Promise<OpenAlert[]> {
		// every open alert: at 10× the city (5,000 schools) more than the lists' default 500 are open
		const rows = await listAlerts(this.deps.store, {
			state: ['firing', 'acknowledged'],
			limit: OPEN_LIMIT
		});
		this.open = rows.map((a) => {
			const open = {} as Record<string, unknown>;
			for (const k of OPEN_FIELDS) open[k] = a[k];
			return open as OpenAlert;
		});
		return this.open;
	}

	/** Publish transitions made elsewhere (an operator's acknowledgement), and reload the open list. */
	async emitAndReload(ts: readonly AlertTransition[]): Promise<void> {
		await this.reload();
		this.emit(ts);
	}

	/** Publish transitions: NATS, then this process's listeners. */
	emit(ts: readonly AlertTransition[]): void {
		for (const t of ts) {
			if (this.deps.publish) {
				try {
					this.deps.publish(alertSubject(t), new TextEncoder().encode(JSON.stringify(t)));
					this.stats.published++;
				} catch (error) {
					this.deps.log.warn('alert publish failed', { error, subject: alertSubject(t) });
				}
			}
			for (const f of this.listeners) f(t);
		}
	}

	/** One evaluation now (runs one at a time). */
	evaluate(now = Date.now()): Promise<AlertTransition[]> {
		const run = (this.running ?? Promise.resolve([] as AlertTransition[])).then(async () => {
			const t0 = performance.now();
			const rules = await listRules(this.deps.store);
			const m = await measure(this.deps.ch, this.deps.registry, this.deps.clock, rules, now);
			const { evaluated, conditions } = conditionsOf(rules, m, this.deps.clock);
			const ts = await applyEvaluation(this.deps.store, rules, evaluated, conditions, now);
			this.stats.evaluations++;
			this.stats.last_at = now;
			this.stats.last_ms = Math.round(performance.now() - t0);
			this.stats.last_error = null;
			await this.reload();
			this.emit(ts);
			return ts;
		});
		this.running = run.catch((error) => {
			this.stats.last_error = String(error);
			this.deps.log.error('alert evaluation failed', { error });
			return [];
		});
		return run;
	}

	health(): AlertsHealth {
		return {
			nats: this.publishing ? 'published' : 'skipped (embedded mode: no NATS)',
			evaluations: this.stats.evaluations,
			last_evaluated_at: this.stats.last_at ? new Date(this.stats.last_at).toISOString() : null,
			last_error: this.stats.last_error,
			last_ms: this.stats.last_ms,
			open: this.open.length,
			published: this.stats.published
		};
	}

	start(everyMs: number): void {
		void this.reload().catch((error) => this.deps.log.warn('alerts reload failed', { error }));
		this.stop();
		this.timer = setInterval(
			() => void inBackground(() => this.evaluate()).catch(() => undefined),
			everyMs
		);
		this.timer.unref();
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}
}
