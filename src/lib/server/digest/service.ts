/**
 * The weekly digest's schedule, in the app process next to the notify dispatcher: on every tick it
 * asks whether a week's digests are due (shared/digest.ts: the measured week, from Monday 07:00)
 * and, for each district not yet planned that week, writes one mail per contact into the outbox,
 * rendered in the contact's language; the dispatcher sends them with its retries. A tick when the
 * week is done costs a subtraction; the first tick of a week (or after a restart) one store query.
 *
 *   tick ─ due week planned? ─ no ─▶ per district: recipients → districtView + alerts → digest
 *                                      → one RenderedEmail per language → digests row + deliveries
 */
import type { Locale } from '../../i18n/dictionary';
import {
	digestEventId,
	dueWeek,
	hasSchoolDays,
	mondayOf,
	weekDays,
	weekKey
} from '../../shared/digest';
import { localMinute } from '../../shared/calendar';
import { minutesToQuietEnd } from '../../shared/notify';
import { resolveRange } from '../../shared/range';
import type { ViewQuery } from '../../shared/views';
import type { CH } from '../platform/clickhouse/client';
import type { Logger } from '../platform/log';
import type { RegistryCache } from '../platform/registry/cache';
import type { DayClock } from '../kpi/day-clock';
import { districtOf, districtView } from '../drill/district';
import type { RenderedEmail } from '../notify/messages';
import {
	alertsOverlapping,
	digestRecipients,
	planDigest,
	plannedDigests,
	type DigestRecipient
} from '../store/digests';
import type { NewDelivery } from '../store/notify';
import type { Store } from '../store/open';
import { digestOf, type Digest } from './content';
import { renderDigest } from './render';

/** After a failed planning (ClickHouse away), the next try waits this long, not one tick. */
export const DIGEST_RETRY_MS = 5 * 60_000;

/** The district page's view the digest reads (the page's defaults; the range is the week's). */
const VIEW: Omit<ViewQuery, 'range'> = {
	kpi: 'attendance',
	sort: 'status',
	dir: 'desc',
	level: null,
	setting: null
};

/**
 * Who gets a district's digest: a contact who has email among their channels; an escalation
 * contact who chose no channel at all gets it by email too, as escalations reach them.
 */
export const wantsDigest = (r: DigestRecipient): boolean =>
	r.settings.channels.includes('email') || (r.contact && r.settings.channels.length === 0);

export class DigestService {
	private timer: NodeJS.Timeout | null = null;
	private running: Promise<number> | null = null;
	/** the week (Monday) whose digests are all planned: nothing to do until the next one is due */
	private done: number | null = null;
	private retryAt = 0;
	readonly stats = {
		planned: 0,
		last_week: null as string | null,
		last_error: null as string | null
	};

	constructor(
		private readonly deps: {
			ch: CH;
			store: Store;
			registry: RegistryCache;
			clock: DayClock;
			log: Logger;
			/** the address people open, for links: https://edu.example.vn */
			origin: string;
			/** called when mails entered the outbox (the runtime wakes the dispatcher) */
			wake?: () => void;
			retryMs?: number;
		}
	) {}

	/** Plan the due week's digests not yet planned; one run at a time. Returns the mails added. */
	tick(now = Date.now()): Promise<number> {
		if (this.running) return this.running;
		this.running = this.run(now).finally(() => (this.running = null));
		return this.running;
	}

	private async run(now: number): Promise<number> {
		const { store, registry, log } = this.deps;
		const week = dueWeek(now, this.deps.clock.shiftMs);
		if (week === this.done || now < this.retryAt) return 0;
		const planned = await plannedDigests(store, weekKey(week));
		let added = 0;
		let failed = false;
		for (const a of registry.areasAt('district')) {
			if (planned.has(a.area_id)) continue;
			try {
				added += (await this.plan(a.area_id, week, now, 'system')) ?? 0;
			} catch (error) {
				failed = true;
				this.stats.last_error = `${a.area_id} ${weekKey(week)}: ${String(error)}`;
				log.error('digest not planned', { district: a.area_id, week: weekKey(week), error });
			}
		}
		if (failed) this.retryAt = now + (this.deps.retryMs ?? DIGEST_RETRY_MS);
		else {
			this.done = week;
			this.stats.last_week = weekKey(week);
		}
		if (added) {
			log.info('weekly digests planned', { week: weekKey(week), mails: added });
			this.deps.wake?.();
		}
		return added;
	}

	/**
	 * Plan a district's digest of the week starting `monday`: one mail per contact, in their
	 * language. `by` 'system' plans a week once (null when it was already); an admin's id adds the
	 * contacts who have no mail of that week yet. Returns the mails added.
	 */
	async plan(district: string, monday: number, now: number, by: string): Promise<number | null> {
		const { store } = this.deps;
		const week = weekKey(monday);
		const skipped = hasSchoolDays(monday) ? '' : 'no_school_days';
		const recipients = skipped ? [] : (await digestRecipients(store, district)).filter(wantsDigest);
		if (!recipients.length)
			return planDigest(store, { district, week, by, skipped, deliveries: [] }, now);
		const digest = await this.digestOf(district, monday, now);
		if (!digest) return null;
		const mails = new Map<Locale, string>();
		const mail = (l: Locale) => {
			let m = mails.get(l);
			if (!m) mails.set(l, (m = JSON.stringify(this.render(digest, l))));
			return m;
		};
		const event = digestEventId(district, monday);
		const deliveries: NewDelivery[] = recipients.map((r) => {
			// a digest is not urgent: quiet hours hold it until they end
			const quiet = minutesToQuietEnd(r.settings.quiet, localMinute(now));
			return {
				id: `${event}:email:${r.id}`,
				event_id: event,
				alert_id: '',
				action: 'digest',
				channel: 'email',
				target: r.id,
				address: r.email,
				locale: r.settings.locale,
				message: mail(r.settings.locale),
				next_at: now + quiet * 60_000
			};
		});
		const added = await planDigest(store, { district, week, by, skipped, deliveries }, now);
		this.stats.planned += added ?? 0;
		return added;
	}

	/** A district's digest of the week starting `monday`: the district page's figures for that week. */
	async digestOf(district: string, monday: number, now: number): Promise<Digest | null> {
		const { ch, clock, registry, store } = this.deps;
		const { from, to } = weekDays(monday);
		const range = resolveRange(
			{ preset: 'custom', from, to, at: null, compare: true },
			now,
			clock.shiftMs
		);
		if (!range.ok) throw new Error(`digest range ${from}–${to}: ${range.error.key}`);
		const view = await districtView({
			ch,
			clock,
			registry: registry.registry,
			now,
			districtId: district,
			range: range.value,
			view: { ...VIEW, range: range.value.query }
		});
		if (!view) return null;
		const r = range.value;
		const alerts = await alertsOverlapping(store, district, r.from, r.to);
		return digestOf(
			view,
			alerts,
			{ monday, from: r.from, to: r.to },
			(id) => registry.school(id)?.name ?? id
		);
	}

	render(d: Digest, l: Locale): RenderedEmail {
		return renderDigest(d, l, { origin: this.deps.origin });
	}

	/** The last week that ended (measured), for "send now". */
	lastWeek(now = Date.now()): number {
		return mondayOf(this.deps.clock.day(now)) - 7;
	}

	/** An admin sends a district's digest of the last week now, to the contacts who have not had it. */
	async sendNow(district: string, by: string, now = Date.now()) {
		if (!districtOf(this.deps.registry.registry, district)) return null;
		const monday = this.lastWeek(now);
		const added = (await this.plan(district, monday, now, by)) ?? 0;
		if (added) this.deps.wake?.();
		return { monday, added };
	}

	start(everyMs: number): void {
		this.stop();
		this.timer = setInterval(() => void this.tick().catch(() => undefined), everyMs);
		this.timer.unref();
	}

	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		await this.running?.catch(() => undefined);
	}
}
