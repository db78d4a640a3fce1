/** The wall's live topics on the hub: `wall.kpis` and `wall.health` every tick, `wall.history` every 20 s. */
import type { Health } from '../../shared/health';
import type { OpenAlert, WallAlerts, WallHealth, WallHistory, WallKpis } from '../../shared/wall';
import type { LiveHub } from '../live/hub';
import type { RegistryCache } from '../platform/registry/cache';
import { narrowHistory, narrowKpis, type WallService } from './service';
import { tickerItems, type TickerInput } from './ticker';
import { areaFilter, parseScope, type AreaFilter } from '../../shared/scope';
import type { Registry } from '../../shared/registry';

export interface WallTopicDeps {
	hub: LiveHub;
	/** the open alerts (the alert service), for the wall's rings and ticker */
	alerts: { open: OpenAlert[] };
	wall: WallService;
	registry: RegistryCache;
	health: () => Promise<Health>;
	staleAfterS: number;
	tickMs: number;
}

const FIVE_MIN = 5 * 60_000;

/** A scope's stored text that no longer parses lets nothing through (as store/users scopeOf reads it). */
const NOTHING = { kind: 'school', school: '-' } as const;

/**
 * The filter of each scope the hub narrows for, made once per registry (a registry change, even a
 * school added by an event, gives a new registry object).
 */
export function scopeFilters(registry: () => Registry): (scope: string) => AreaFilter {
	let of: Registry | null = null;
	const filters = new Map<string, AreaFilter>();
	return (scope) => {
		const reg = registry();
		if (reg !== of) {
			filters.clear();
			of = reg;
		}
		let f = filters.get(scope);
		if (!f) filters.set(scope, (f = areaFilter(parseScope(scope) ?? NOTHING, reg)));
		return f;
	};
}

/** The open alerts a scope sees: those of its schools (and, for a district, the district's own). */
export function narrowAlerts(open: OpenAlert[], f: AreaFilter): OpenAlert[] {
	return f.all ? open : open.filter((a) => f.touches(a.school_id, a.district_id));
}

export function addWallTopics(d: WallTopicDeps): void {
	const filterOf = scopeFilters(() => d.registry.registry);
	// what each health payload's ticker was made from: a scope's ticker is made again from its own numbers
	const tickerInputs = new WeakMap<WallHealth, TickerInput>();
	// rate and rejects windows from the counters the health topic sees each tick
	const samples: { t: number; events: number; rejects: number }[] = [];
	let historyDay = '';
	let lastAlerts: OpenAlert[] | null = null;
	let lastAlertsJson = '';
	let alertsAt = new Date().toISOString();
	// both per-tick topics read health in the same tick: read it once (on servers it is a query)
	let healthOf: { now: number; value: Promise<Health> } | null = null;
	const health = (now: number) => {
		if (healthOf?.now !== now) healthOf = { now, value: d.health() };
		return healthOf.value;
	};

	d.hub.add<WallHistory>({
		name: 'wall.history',
		// daily series move slowly, but a first start fills history in its first minute
		intervalMs: 20_000,
		compute: async (now) => {
			historyDay = d.wall.clock.dayLabel(now);
			return d.wall.history(now);
		},
		narrow: (h, scope) => narrowHistory(h, filterOf(scope), d.registry.registry)
	});
	d.hub.add<WallKpis>({
		name: 'wall.kpis',
		intervalMs: d.tickMs,
		// ~250 kB at 5,000 schools, of which a tick mostly changes `seq` and a few schools
		patch: true,
		compute: async (now) => {
			// a new day needs the new previous school day before the numbers
			if (historyDay && historyDay !== d.wall.clock.dayLabel(now))
				await d.hub.refresh('wall.history');
			const h = await health(now);
			return d.wall.kpis(now, h.ingest);
		},
		narrow: (k, scope) => narrowKpis(k, filterOf(scope))
	});
	d.hub.add<WallAlerts>({
		name: 'wall.alerts',
		intervalMs: d.tickMs,
		// thousands of open alerts at 10× the city (docs/scale.md): a change sent as a patch when smaller
		patch: true,
		// `at` is when the list last changed: an unchanged list (each evaluation reloads it) sends no frame
		compute: async () => {
			const open = d.alerts.open;
			if (open !== lastAlerts) {
				const json = JSON.stringify(open);
				if (json !== lastAlertsJson) alertsAt = new Date().toISOString();
				lastAlertsJson = json;
				lastAlerts = open;
			}
			return { at: alertsAt, open: lastAlerts ?? open };
		},
		narrow: (a, scope) => ({ at: a.at, open: narrowAlerts(a.open, filterOf(scope)) })
	});
	d.hub.add<WallHealth>({
		name: 'wall.health',
		intervalMs: d.tickMs,
		compute: async (now) => {
			const h = await health(now);
			samples.push({ t: now, events: h.ingest.events_total, rejects: h.ingest.rejects_total });
			while (samples.length > 2 && now - samples[0].t > FIVE_MIN) samples.shift();
			const recent = samples.find((s) => now - s.t <= 5_000) ?? samples[samples.length - 1];
			const dt = (now - recent.t) / 1000;
			const reg = d.registry;
			const input: TickerInput = {
				now,
				health: h,
				staleAfterS: d.staleAfterS,
				rejects5m: h.ingest.rejects_total - samples[0].rejects,
				kpis: d.hub.current<WallKpis>('wall.kpis'),
				alerts: d.alerts.open,
				inSchoolHours: (t) =>
					d.wall.clock.scheduledMinutes(['primary', 'upper_secondary'], t - 60_000, t) > 0,
				schoolName: (id) => reg.school(id)?.name ?? id
			};
			const payload: WallHealth = {
				at: new Date(now).toISOString(),
				health: h,
				stale_after_s: d.staleAfterS,
				last_event_at: h.ingest.last_event_at,
				events_per_s: dt > 0 ? Math.round((h.ingest.events_total - recent.events) / dt) : 0,
				rejects_5m: h.ingest.rejects_total - samples[0].rejects,
				ticker: tickerItems(input)
			};
			tickerInputs.set(payload, input);
			return payload;
		},
		// the stream's health is the system's; the ticker's schools and alerts are the scope's own
		narrow: (p, scope) => {
			const input = tickerInputs.get(p);
			if (!input) throw new Error('wall.health: no ticker input for this payload');
			return {
				...p,
				ticker: tickerItems({
					...input,
					kpis: d.hub.currentFor<WallKpis>('wall.kpis', scope),
					alerts: narrowAlerts(d.alerts.open, filterOf(scope))
				})
			};
		}
	});
}
