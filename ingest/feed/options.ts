/** DemoFeed options from the config: the demo clock's shift, and where an earlier run stopped. */
import type { CH } from '#server/platform/clickhouse/client';
import { rows } from '#server/platform/clickhouse/client';
import type { Config } from '#server/platform/config';
import type { Logger } from '#server/platform/log';
import { demoShiftMs } from './demo-clock';
import type { DemoFeedOptions } from './feed';

/** The newest event time already stored (so a restart does not publish a window twice), or null. */
export async function lastStoredEventMs(ch: CH): Promise<number | null> {
	const r = await rows<{ t: string }>(
		ch,
		`SELECT toUnixTimestamp64Milli(max(newest)) AS t FROM (
			SELECT max(ts) AS newest FROM device_raw WHERE ts <= now64(3)
			UNION ALL SELECT max(ts) FROM attendance_raw WHERE ts <= now64(3)
			UNION ALL SELECT max(ts) FROM library_raw WHERE ts <= now64(3)
			UNION ALL SELECT max(ts) FROM completeness_raw WHERE ts <= now64(3))`
	);
	const t = Number(r[0]?.t ?? 0);
	return t > 0 ? t : null;
}

export async function feedOptions(
	cfg: Config,
	ch: CH | null,
	log: Logger,
	now = Date.now()
): Promise<DemoFeedOptions> {
	const shiftMs = cfg.feed.clock === 'demo' ? demoShiftMs(now) : 0;
	const resumeFrom = ch ? await lastStoredEventMs(ch) : null;
	if (shiftMs)
		log.info('demo clock: playing school hours of an earlier day, stamped with the wall clock', {
			shift_hours: shiftMs / 3600_000
		});
	return {
		speed: cfg.feed.speed,
		seed: cfg.feed.seed,
		backfillMinutes: cfg.feed.backfillMinutes,
		shiftMs,
		resumeFrom,
		historyDays: cfg.feed.historyDays,
		onError: (error) => log.warn('feed sink failed; the window is retried', { error })
	};
}
