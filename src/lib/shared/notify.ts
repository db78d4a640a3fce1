/**
 * Notifications of alert transitions: who gets what, on which channel, and the checks every
 * setting passes before it is stored. Pure: the settings page, the store and the dispatcher share
 * these shapes and validators.
 *
 * - A user chooses channels (email, Web Push to the installed app), districts ([] = all),
 *   severities, quiet hours (Vietnam time; only urgent alerts and escalations go out inside them,
 *   the rest waits for their end), the language, and whether resolutions are sent too.
 * - An admin keeps the escalation contacts of each district (users) and the webhooks (the city
 *   IOC, Zalo OA bridges, chat tools), each with its districts, severities and secret.
 */
import type { AlertAction, AlertSeverity } from './alerts';

export const CHANNELS = ['email', 'push', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];
/** The channels a person chooses (webhooks belong to the admin). */
export const USER_CHANNELS = ['email', 'push'] as const;
export type UserChannel = (typeof USER_CHANNELS)[number];
export const SEVERITIES: readonly AlertSeverity[] = ['watch', 'alert'];
/** The transitions that are notified: firing, escalation and (when chosen) resolution. */
export const NOTIFIED_ACTIONS: readonly AlertAction[] = ['fired', 'escalated', 'resolved'];

export interface NotifySettings {
	channels: UserChannel[];
	/** district ids; [] = every district */
	districts: string[];
	severities: AlertSeverity[];
	/** quiet hours, Vietnam time ('HH:MM'), from ≠ to; null: none */
	quiet: { from: string; to: string } | null;
	locale: 'vi' | 'en';
	on_resolve: boolean;
}

/** A new account gets emails of urgent alerts in every district, in Vietnamese. */
export const DEFAULT_SETTINGS: NotifySettings = {
	channels: ['email'],
	districts: [],
	severities: ['alert'],
	quiet: null,
	locale: 'vi',
	on_resolve: false
};

export interface WebhookInput {
	label: string;
	url: string;
	districts: string[];
	severities: AlertSeverity[];
	on_resolve: boolean;
}

/** A refused setting: the field it concerns and what is wrong, for the form to show beside it. */
export interface FieldError {
	field: string;
	message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
// an address as people type it: local part, @, a domain with a dot; no spaces, quotes or angle brackets
const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
/** Text that looks like markup or script (refused in free-text fields, as elsewhere in the product). */
const MARKUP = /[<>]|javascript:|\bon\w+\s*=/i;

export const isEmail = (v: string) => v.length <= 254 && EMAIL.test(v);
export const minuteOf = (hhmm: string) => {
	const m = HHMM.exec(hhmm);
	return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

/** Check a user's settings as submitted; `districts` are the known district ids. */
export function checkSettings(
	raw: {
		channels: string[];
		districts: string[];
		severities: string[];
		quiet_from: string;
		quiet_to: string;
		locale: string;
		on_resolve: boolean;
	},
	districts: ReadonlySet<string>
): Checked<NotifySettings> {
	const errors: FieldError[] = [];
	const channels = raw.channels.filter(Boolean);
	for (const c of channels)
		if (!(USER_CHANNELS as readonly string[]).includes(c))
			errors.push({ field: 'channels', message: `unknown channel "${c}"` });
	for (const d of raw.districts)
		if (!districts.has(d)) errors.push({ field: 'districts', message: `unknown district "${d}"` });
	for (const s of raw.severities)
		if (!(SEVERITIES as readonly string[]).includes(s))
			errors.push({ field: 'severities', message: `unknown severity "${s}"` });
	if (channels.length && !raw.severities.length)
		errors.push({ field: 'severities', message: 'choose at least one severity' });
	let quiet: NotifySettings['quiet'] = null;
	const from = raw.quiet_from.trim();
	const to = raw.quiet_to.trim();
	if (from || to) {
		if (minuteOf(from) === null)
			errors.push({ field: 'quiet_from', message: 'a time as HH:MM (00:00–23:59)' });
		if (minuteOf(to) === null)
			errors.push({ field: 'quiet_to', message: 'a time as HH:MM (00:00–23:59)' });
		if (minuteOf(from) !== null && from === to)
			errors.push({ field: 'quiet_to', message: 'quiet hours must end at another time' });
		quiet = { from, to };
	}
	if (raw.locale !== 'vi' && raw.locale !== 'en')
		errors.push({ field: 'locale', message: 'vi or en' });
	if (errors.length) return { ok: false, errors };
	return {
		ok: true,
		value: {
			channels: [...new Set(channels)] as UserChannel[],
			districts: [...new Set(raw.districts)].sort(),
			severities: [...new Set(raw.severities)] as AlertSeverity[],
			quiet,
			locale: raw.locale as 'vi' | 'en',
			on_resolve: raw.on_resolve
		}
	};
}

/** Check a webhook as an admin submits it. */
export function checkWebhook(
	raw: WebhookInput,
	districts: ReadonlySet<string>
): Checked<WebhookInput> {
	const errors: FieldError[] = [];
	const label = raw.label.trim();
	if (!label || label.length > 100)
		errors.push({ field: 'label', message: 'a name of 1 to 100 characters' });
	else if (MARKUP.test(label)) errors.push({ field: 'label', message: 'no markup or script' });
	let url: URL | null = null;
	try {
		url = new URL(raw.url.trim());
	} catch {
		errors.push({ field: 'url', message: 'not a URL' });
	}
	if (url && url.protocol !== 'https:' && url.protocol !== 'http:')
		errors.push({ field: 'url', message: 'must be an http(s) URL' });
	else if (url && (url.username || url.password))
		errors.push({ field: 'url', message: 'no credentials in the URL (the secret signs it)' });
	else if (url && raw.url.trim().length > 500)
		errors.push({ field: 'url', message: 'at most 500 characters' });
	for (const d of raw.districts)
		if (!districts.has(d)) errors.push({ field: 'districts', message: `unknown district "${d}"` });
	for (const s of raw.severities)
		if (!(SEVERITIES as readonly string[]).includes(s))
			errors.push({ field: 'severities', message: `unknown severity "${s}"` });
	if (!raw.severities.length)
		errors.push({ field: 'severities', message: 'choose at least one severity' });
	if (errors.length) return { ok: false, errors };
	return {
		ok: true,
		value: {
			label,
			url: url!.toString(),
			districts: [...new Set(raw.districts)].sort(),
			severities: [...new Set(raw.severities)],
			on_resolve: raw.on_resolve
		}
	};
}

/** Whether a Vietnam-time minute of day lies in the quiet hours (which may wrap midnight). */
export function inQuiet(quiet: NotifySettings['quiet'], vnMinute: number): boolean {
	if (!quiet) return false;
	const from = minuteOf(quiet.from)!;
	const to = minuteOf(quiet.to)!;
	return from < to ? vnMinute >= from && vnMinute < to : vnMinute >= from || vnMinute < to;
}

/** Minutes from a Vietnam-time minute of day to the end of the quiet hours (0 outside them). */
export function minutesToQuietEnd(quiet: NotifySettings['quiet'], vnMinute: number): number {
	if (!inQuiet(quiet, vnMinute)) return 0;
	const to = minuteOf(quiet!.to)!;
	return (to - vnMinute + 1440) % 1440;
}

/** Whether a subscription (a person's or a webhook's) wants this transition. */
export function wants(
	sub: { districts: string[]; severities: AlertSeverity[]; on_resolve: boolean },
	t: { action: AlertAction; district_id: string; severity: AlertSeverity }
): boolean {
	if (!NOTIFIED_ACTIONS.includes(t.action)) return false;
	if (t.action === 'resolved' && !sub.on_resolve) return false;
	// a city-wide alert (no district) reaches every subscriber of its severity
	if (sub.districts.length && t.district_id && !sub.districts.includes(t.district_id)) return false;
	return sub.severities.includes(t.severity);
}

/** A delivery's state in the outbox. */
export const DELIVERY_STATES = ['pending', 'sent', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** Retries: after 30 s, 2 min, 10 min, 30 min, then every 2 h, 8 attempts in all. */
export const RETRY_DELAYS_S = [30, 120, 600, 1800, 7200, 7200, 7200] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_S.length + 1;
