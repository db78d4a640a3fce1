/**
 * The notification dispatcher: it works the outbox on its own timer, apart from the alert
 * evaluator, which only writes transitions (alert_events) and never waits for a channel.
 *
 *   alert_events (planned = 0) ──plan──▶ deliveries (one per transition × channel × recipient)
 *   deliveries (pending, due) ──send──▶ sent | retried with back-off | failed (the console shows it)
 *
 * Planning reads the transitions not yet planned and writes their deliveries and the mark in one
 * transaction; a delivery's id is its transition, channel and recipient, so nothing is planned
 * twice. A delivery is marked sent as soon as the other side took it; only a crash in between
 * those two steps can send it again, and then with the same id (email Message-ID, webhook
 * X-Edu-Delivery, push tag), so the receiver can tell.
 */
import type { AlertSeverity } from '../../shared/alerts';
import { localMinute } from '../../shared/calendar';
import {
	MAX_ATTEMPTS,
	NOTIFIED_ACTIONS,
	RETRY_DELAYS_S,
	minutesToQuietEnd,
	wants,
	type DeliveryState
} from '../../shared/notify';
import type { NotifyHealth } from '../../shared/health';
import { atLeast } from '../../shared/roles';
import type { Logger } from '../platform/log';
import type { RegistryCache } from '../platform/registry/cache';
import {
	deliveryCounts,
	dropPushSubscription,
	dueDeliveries,
	escalationContacts,
	listWebhooks,
	markAttemptFailed,
	markSent,
	planDeliveries,
	pushSubscriptions,
	recipients,
	unplannedTransitions,
	type Delivery,
	type NewDelivery,
	type UnplannedTransition
} from '../store/notify';
import type { Store } from '../store/open';
import { listUsers, scopeOf } from '../store/users';
import { areaFilter, formatScope, type AreaFilter } from '../../shared/scope';
import { SendError, sendPush, sendWebhook, type Mailer, type Vapid } from './channels';
import { emailOf, pushOf, webhookOf, type DeliveryMessage, type RenderedEmail } from './messages';

/** How long /api/health's outbox counts may be old. */
const COUNTS_MS = 5000;

export class NotifyService {
	private timer: NodeJS.Timeout | null = null;
	private running: Promise<void> | null = null;
	private again = false;
	readonly stats = {
		planned: 0,
		sent: 0,
		failed_attempts: 0,
		last_error: null as string | null,
		last_run_at: 0
	};

	constructor(
		private readonly deps: {
			store: Store;
			registry: RegistryCache;
			log: Logger;
			mailer: Mailer;
			emailOn: boolean;
			vapid: Vapid;
			/** the address people open, for links: https://edu.example.vn */
			origin: string;
			retryDelaysS?: readonly number[];
			concurrency?: number;
		}
	) {}

	/** Plan what is new and send what is due; one run at a time (a call during a run runs once more after it). */
	tick(now?: number): Promise<void> {
		if (this.running) {
			this.again = true;
			return this.running;
		}
		this.running = (async () => {
			do {
				this.again = false;
				const at = now ?? Date.now();
				try {
					await this.plan(at);
					await this.send(at);
				} catch (error) {
					this.stats.last_error = String(error);
					this.deps.log.error('notify run failed', { error });
				}
				this.stats.last_run_at = at;
			} while (this.again && now === undefined);
		})().finally(() => (this.running = null));
		return this.running;
	}

	/** Turn transitions not yet planned into deliveries. */
	async plan(now: number): Promise<number> {
		const { store } = this.deps;
		let added = 0;
		for (;;) {
			const ts = await unplannedTransitions(store, 200);
			if (!ts.length) return added;
			const [everyone, escalation, hooks, subs, accounts] = await Promise.all([
				recipients(store),
				escalationContacts(store),
				listWebhooks(store),
				pushSubscriptions(store),
				listUsers(store)
			]);
			// a scoped account hears of its own area's alerts only, escalations included (docs/scopes.md)
			const scopes = new Map(accounts.map((u) => [u.id, scopeOf(u)]));
			const filters = new Map<string, AreaFilter>();
			const reg = this.deps.registry.registry;
			const sees = (id: string, t: UnplannedTransition) => {
				const s = scopes.get(id);
				if (!s || s.kind === 'city') return true;
				const key = formatScope(s);
				let f = filters.get(key);
				if (!f) filters.set(key, (f = areaFilter(s, reg)));
				return f.touches(t.school_id, t.district_id);
			};
			for (const t of ts) {
				const people = everyone.filter((p) => sees(p.id, t));
				const ds = NOTIFIED_ACTIONS.includes(t.action)
					? this.deliveriesOf(t, now, people, escalation, hooks, subs)
					: [];
				added += await planDeliveries(store, t.event_id, ds, now);
			}
			this.stats.planned += added;
			if (ts.length < 200) return added;
		}
	}

	private deliveriesOf(
		t: UnplannedTransition,
		now: number,
		people: Awaited<ReturnType<typeof recipients>>,
		escalation: Map<string, string[]>,
		hooks: Awaited<ReturnType<typeof listWebhooks>>,
		subs: Awaited<ReturnType<typeof pushSubscriptions>>
	): NewDelivery[] {
		const reg = this.deps.registry;
		const school = t.school_id ? reg.school(t.school_id) : null;
		const district = t.district_id
			? reg.registry.areas.find((a) => a.area_id === t.district_id)
			: null;
		const base = {
			event_id: t.event_id,
			alert_id: t.alert_id,
			action: t.action,
			at: t.at,
			actor: t.actor,
			note: t.note,
			rule_id: t.rule_id,
			school_id: t.school_id,
			school_name: school?.name ?? '',
			district_id: t.district_id,
			district_name: district?.name ?? '',
			severity: t.severity as AlertSeverity,
			value: t.value,
			detail: t.detail,
			detail_args: t.detail_args
		};
		const o = this.deps.origin;
		const msg = (url: string): string =>
			JSON.stringify({ ...base, url, settings_url: `${o}/settings/notifications` });
		const out: NewDelivery[] = [];
		const contacts = t.action === 'escalated' ? (escalation.get(t.district_id) ?? []) : [];
		const what = { action: t.action, district_id: t.district_id, severity: base.severity };
		for (const p of people) {
			const contact = contacts.includes(p.id);
			if (!contact && !wants(p.settings, what)) continue;
			// operators open the alert (two taps to acknowledge); others its school's page
			const lang = p.settings.locale === 'en' ? '?lang=en' : '';
			const url = atLeast(p.role, 'operator')
				? `${o}/alerts/${t.alert_id}${lang}`
				: t.school_id
					? `${o}/schools/${t.school_id}${lang}`
					: `${o}/${lang}`;
			// quiet hours hold what is not urgent; an escalation to its contacts is always urgent
			const quiet =
				contact || base.severity === 'alert'
					? 0
					: minutesToQuietEnd(p.settings.quiet, localMinute(now));
			const next_at = quiet ? now + quiet * 60_000 : now;
			const channels = p.settings.channels.length ? p.settings.channels : ['email' as const];
			const common = {
				event_id: t.event_id,
				alert_id: t.alert_id,
				action: t.action,
				locale: p.settings.locale,
				message: msg(url),
				next_at
			};
			if (channels.includes('email'))
				out.push({
					...common,
					id: `${t.event_id}:email:${p.id}`,
					channel: 'email',
					target: p.id,
					address: p.email
				});
			if (channels.includes('push'))
				for (const s of subs.filter((s) => s.user_id === p.id))
					out.push({
						...common,
						id: `${t.event_id}:push:${s.id}`,
						channel: 'push',
						target: s.id,
						address: hostOf(s.endpoint)
					});
		}
		for (const h of hooks)
			if (h.enabled && wants(h, what))
				out.push({
					event_id: t.event_id,
					alert_id: t.alert_id,
					action: t.action,
					id: `${t.event_id}:webhook:${h.id}`,
					channel: 'webhook',
					target: h.id,
					address: h.url,
					locale: 'vi',
					message: msg(`${o}/alerts/${t.alert_id}`),
					next_at: now
				});
		return out;
	}

	/** Send what is due, a few at a time; each outcome is written before the next batch. */
	async send(now: number): Promise<number> {
		const { store } = this.deps;
		let sent = 0;
		for (let round = 0; round < 20; round++) {
			const due = await dueDeliveries(store, now, 50);
			if (!due.length) break;
			const hooks = new Map((await listWebhooks(store)).map((h) => [h.id, h]));
			const subs = new Map((await pushSubscriptions(store)).map((s) => [s.id, s]));
			const width = this.deps.concurrency ?? 4;
			for (let i = 0; i < due.length; i += width)
				await Promise.all(
					due.slice(i, i + width).map(async (d) => {
						if (await this.sendOne(d, hooks, subs, now)) sent++;
					})
				);
			if (due.length < 50) break;
		}
		return sent;
	}

	private async sendOne(
		d: Delivery,
		hooks: Map<string, { url: string; secret: string; enabled: boolean }>,
		subs: Map<string, { endpoint: string; p256dh: string; auth: string }>,
		now: number
	): Promise<boolean> {
		const { store } = this.deps;
		const m = JSON.parse(d.message) as DeliveryMessage;
		const attempts = d.attempts + 1;
		try {
			if (d.channel === 'email') {
				// a digest's mail was rendered when it was planned; an alert's is rendered now
				const e = d.action === 'digest' ? (m as unknown as RenderedEmail) : emailOf(m, d.locale);
				await this.deps.mailer.send({ to: d.address, ...e, id: d.id });
			} else if (d.channel === 'push') {
				const s = subs.get(d.target);
				if (!s) throw new SendError('push: the subscription was removed', false);
				const urgency = m.severity === 'alert' || m.action === 'escalated' ? 'high' : 'normal';
				await sendPush(s, JSON.stringify(pushOf(m, d.locale)), this.deps.vapid, urgency);
			} else {
				const h = hooks.get(d.target);
				if (!h || !h.enabled) throw new SendError('webhook: removed or disabled', false);
				await sendWebhook(h, JSON.stringify(webhookOf(m, d.id)), d.id, `alert.${m.action}`);
			}
			await markSent(store, d.id, attempts, Date.now());
			this.stats.sent++;
			return true;
		} catch (e) {
			const err = e instanceof SendError ? e : new SendError(String(e), true);
			const delays = this.deps.retryDelaysS ?? RETRY_DELAYS_S;
			const max = Math.min(MAX_ATTEMPTS, delays.length + 1);
			const next = err.retry && attempts < max ? now + delays[attempts - 1] * 1000 : null;
			await markAttemptFailed(store, d.id, attempts, err.message, next);
			if (err.gone) await dropPushSubscription(store, d.target);
			this.stats.failed_attempts++;
			this.stats.last_error = `${d.channel} ${d.address}: ${err.message}`;
			this.deps.log.warn('notification not delivered', {
				delivery: d.id,
				channel: d.channel,
				attempts,
				retry_at: next ? new Date(next).toISOString() : null,
				error: err.message
			});
			return false;
		}
	}

	/**
	 * The outbox's counts, read at most every COUNTS_MS: health is asked every tick of the live hub
	 * (twice a second), and counting a table an alert storm of a 10× city fills with tens of
	 * thousands of deliveries took tens of ms of the event loop each time (docs/scale.md).
	 */
	private counts: { at: number; value: Promise<Record<DeliveryState, number>> } | null = null;

	async health(now = Date.now()): Promise<NotifyHealth> {
		if (!this.counts || now - this.counts.at >= COUNTS_MS) {
			const value = deliveryCounts(this.deps.store);
			this.counts = { at: now, value };
			value.catch(() => {
				if (this.counts?.value === value) this.counts = null;
			});
		}
		return {
			email: this.deps.emailOn ? 'smtp' : 'off (SMTP_URL not set)',
			deliveries: await this.counts.value,
			planned: this.stats.planned,
			sent: this.stats.sent,
			failed_attempts: this.stats.failed_attempts,
			last_error: this.stats.last_error,
			last_run_at: this.stats.last_run_at ? new Date(this.stats.last_run_at).toISOString() : null
		};
	}

	start(everyMs: number): void {
		this.stop();
		this.timer = setInterval(() => void this.tick(), everyMs);
		this.timer.unref();
	}

	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		await this.running?.catch(() => undefined);
		this.deps.mailer.close();
	}
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return '?';
	}
}
