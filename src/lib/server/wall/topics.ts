/** The wall's live topics on the hub: `wall.kpis` and `wall.health` every tick, `wall.history` every 20 s. */
import type { Health } from '../../shared/health';
import type { OpenAlert, WallAlerts, WallHealth, WallHistory, WallKpis } from '../../shared/wall';
import type { LiveHub } from '../live/hub';
import type { RegistryCache } from '../platform/registry/cache';
import type { WallService } from './service';
import { tickerItems } from './ticker';

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

export function addWallTopics(d: WallTopicDeps): void {
	// rate and rejects windows from the counters the health topic sees each tick
	const samples: { t: number; events: number; rejects: number }[] = [];
	let historyDay = '';
	let lastAlerts: OpenAlert[] | null = null;
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
		}
	});
	d.hub.add<WallKpis>({
		name: 'wall.kpis',
		intervalMs: d.tickMs,
		compute: async (now) => {
			// a new day needs the new previous school day before the numbers
			if (historyDay && historyDay !== d.wall.clock.dayLabel(now))
				await d.hub.refresh('wall.history');
			const h = await health(now);
			return d.wall.kpis(now, h.ingest);
		}
	});
	d.hub.add<WallAlerts>({
		name: 'wall.alerts',
		intervalMs: d.tickMs,
		// `at` is when the list last changed: an unchanged list sends no frame
		compute: async () => {
			const open = d.alerts.open;
			if (open !== lastAlerts) alertsAt = new Date().toISOString();
			lastAlerts = open;
			return { at: alertsAt, open };
		}
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
			return {
				at: new Date(now).toISOString(),
				health: h,
				stale_after_s: d.staleAfterS,
				last_event_at: h.ingest.last_event_at,
				events_per_s: dt > 0 ? Math.round((h.ingest.events_total - recent.events) / dt) : 0,
				rejects_5m: h.ingest.rejects_total - samples[0].rejects,
				ticker: tickerItems({
					now,
					health: h,
					staleAfterS: d.staleAfterS,
					rejects5m: h.ingest.rejects_total - samples[0].rejects,
					kpis: d.hub.current<WallKpis>('wall.kpis'),
					alerts: d.alerts.open,
					inSchoolHours: (t) =>
						d.wall.clock.scheduledMinutes(['primary', 'upper_secondary'], t - 60_000, t) > 0,
					schoolName: (id) => reg.school(id)?.name ?? id
				})
			};
		}
	});
}
