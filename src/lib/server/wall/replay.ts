/**
 * Replay of the wall: its three topics as they stood at a past moment. The same WallService code
 * as the live wall runs with `now` = that moment (a fresh instance, so the live caches are not
 * touched), and every wall query is bounded by `now`: later events are not seen. The wall's
 * "now" windows read the minute rollups, kept 35 days, so the wall replays the last 34 days.
 */
import { DAY_MS } from '../../shared/calendar';
import type { IngestSnapshot } from '../../shared/health';
import type { WallHealth, WallHistory, WallKpis } from '../../shared/wall';
import { TELEMETRY_KINDS, type TelemetryKind } from '../../shared/contract';
import { rows, type CH } from '../platform/clickhouse/client';
import type { RegistryCache } from '../platform/registry/cache';
import type { DayClock } from '../kpi/day-clock';
import { WallService } from './service';
import { msParam } from '../platform/clickhouse/sql';
import { sharedPerClient } from '../kpi/tick-shared';

export interface WallReplay {
	'wall.kpis': WallKpis;
	'wall.history': WallHistory;
	'wall.health': WallHealth;
}

/** The newest minute (its start, ms) of each kind heard before `at`, within a day. */
async function lastMinutesBefore(
	ch: CH,
	at: number
): Promise<Partial<Record<TelemetryKind, number>>> {
	const parts = TELEMETRY_KINDS.map(
		(k) =>
			`SELECT '${k}' AS kind, toUnixTimestamp(max(bucket)) * 1000 AS t FROM ${k}_rollup WHERE grain = 1 AND bucket >= ${msParam('lo')} AND bucket < ${msParam('at')}`
	);
	const r = await rows<{ kind: TelemetryKind; t: string }>(ch, parts.join(' UNION ALL '), {
		lo: at - DAY_MS,
		at
	});
	return Object.fromEntries(r.filter((x) => Number(x.t) > 0).map((x) => [x.kind, Number(x.t)]));
}

/**
 * What "last event" meant at `at`: a minute bucket stands for events up to its end, but never
 * later than the moment replayed.
 */
const lastEvents = (
	at: number,
	minutes: Partial<Record<TelemetryKind, number>>
): Partial<Record<TelemetryKind, string>> =>
	Object.fromEntries(
		Object.entries(minutes).map(([k, t]) => [k, new Date(Math.min(at, t + 59_999)).toISOString()])
	);

/**
 * The wall at a past moment, computed once per tick for every screen and request replaying the
 * same moment (kpi/tick-shared.ts): a replayed moment stands still unless a late event lands for
 * it, which is seen within a tick (at once when this process wrote it). The frame is shared whole,
 * so nothing may change it: a scoped reader's is narrowed into new objects (pages/wall.ts).
 */
export function replayWall(...args: Parameters<typeof computeReplay>): Promise<WallReplay> {
	const [ch, registry, clock, at, , staleAfterS] = args;
	return replays(ch).get(
		`${at}|${clock.shiftMs}|${registry.loadedAt}|${staleAfterS}`,
		undefined,
		() => computeReplay(...args)
	);
}

const replays = sharedPerClient<WallReplay>({ max: 8 });

/** The wall's three topics at `at` (a fresh WallService); `live`: the live health, whose parts a replay keeps. */
async function computeReplay(
	ch: CH,
	registry: RegistryCache,
	clock: DayClock,
	at: number,
	live: WallHealth | null,
	staleAfterS: number
): Promise<WallReplay> {
	// the last minute of each kind first: it says where the device stream had got to, which the
	// history's one device read ends the uptime window by (deviceDayAndWindow)
	const minutesRead = lastMinutesBefore(ch, at);
	const lastRead = minutesRead.then((m) => lastEvents(at, m));
	const svc = new WallService(ch, registry, clock, {
		replay: true,
		deviceHeard: minutesRead.then((m) => m.device ?? null)
	});
	// all at once: the numbers wait for the history only where they need its previous school day
	const historyRead = svc.history(at);
	const ingestOf = (last: Partial<Record<TelemetryKind, string>>): IngestSnapshot => ({
		...(live?.health.ingest ?? ({} as IngestSnapshot)),
		events_total: 0,
		events_by_kind: {},
		last_event_at: Object.values(last).sort().at(-1) ?? null,
		last_event_at_by_kind: last
	});
	const [history, last, kpis] = await Promise.all([
		historyRead,
		lastRead,
		lastRead.then((l) => svc.kpis(at, ingestOf(l), historyRead))
	]);
	const ingest = ingestOf(last);
	const health: WallHealth = {
		at: new Date(at).toISOString(),
		health: { ...(live?.health ?? ({} as WallHealth['health'])), ingest },
		stale_after_s: staleAfterS,
		last_event_at: ingest.last_event_at,
		events_per_s: 0,
		rejects_5m: 0,
		ticker: []
	};
	return { 'wall.kpis': kpis, 'wall.history': history, 'wall.health': health };
}
