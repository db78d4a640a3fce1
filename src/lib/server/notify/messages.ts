/**
 * What a notification says, per channel and language: an email (subject, text, HTML), a push
 * (title, body, the alert's link) and a webhook's JSON. Rendered from the transition as it was
 * when planned (DeliveryMessage), so a retry an hour later says the same thing.
 */
import type { AlertAction, AlertSeverity, RuleKind } from '../../shared/alerts';
import { alertDetail } from '../../i18n/alert-text';
import { t, type Locale, type MessageKey } from '../../i18n/dictionary';
import { dateTime } from '../../format';

/** A transition as planned: everything its messages need, names included. */
export interface DeliveryMessage {
	event_id: string;
	alert_id: string;
	action: AlertAction;
	at: number;
	actor: string;
	note: string;
	rule_id: RuleKind;
	school_id: string;
	school_name: string;
	district_id: string;
	district_name: string;
	severity: AlertSeverity;
	value: number | null;
	detail: string;
	detail_args: string;
	/** the alert's page (two taps to acknowledge) */
	url: string;
	/** the person's notification settings */
	settings_url: string;
}

/**
 * An email rendered before it entered the outbox (a weekly digest, src/lib/server/digest/): the
 * delivery's message holds it as JSON and is sent as it is, in the language it was written in.
 */
export interface RenderedEmail {
	subject: string;
	text: string;
	html: string;
}

const place = (m: DeliveryMessage, l: Locale) =>
	m.school_name
		? `${m.school_name}${m.district_name ? ` (${m.district_name})` : ''}`
		: t(l, 'alert.city');

function subjectOf(m: DeliveryMessage, l: Locale): string {
	const key = `notify.subject.${m.action === 'escalated' || m.action === 'resolved' ? m.action : 'fired'}`;
	return t(l, key as MessageKey, {
		severity: t(l, `alert.severity.${m.severity}`),
		rule: t(l, `alert.rule.${m.rule_id}`),
		place: place(m, l)
	});
}

/** The lines every channel shows: [label, value]. */
function fieldsOf(m: DeliveryMessage, l: Locale): [string, string][] {
	const out: [string, string][] = [[t(l, 'notify.field.rule'), t(l, `alert.rule.${m.rule_id}`)]];
	if (m.school_name) out.push([t(l, 'notify.field.school'), m.school_name]);
	out.push([t(l, 'notify.field.district'), m.district_name || t(l, 'alert.city')]);
	out.push([t(l, 'notify.field.severity'), t(l, `alert.severity.${m.severity}`)]);
	out.push([t(l, 'notify.field.detail'), alertDetail(m, l)]);
	out.push([t(l, 'notify.field.time'), dateTime(m.at, l)]);
	if (m.note && m.actor !== 'system') out.push([t(l, 'notify.field.note'), m.note]);
	return out;
}

const intro = (m: DeliveryMessage, l: Locale) =>
	t(
		l,
		`notify.intro.${m.action === 'escalated' || m.action === 'resolved' ? m.action : 'fired'}` as MessageKey
	);

const html = (s: string) =>
	s.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);

export function emailOf(m: DeliveryMessage, l: Locale) {
	const fields = fieldsOf(m, l);
	const footer = t(l, 'notify.footer', { url: m.settings_url });
	const text = [
		intro(m, l),
		'',
		...fields.map(([k, v]) => `${k}: ${v}`),
		'',
		`${t(l, 'notify.open')}: ${m.url}`,
		'',
		'—',
		footer
	].join('\n');
	const rows = fields
		.map(
			([k, v]) =>
				`<tr><th align="left" style="padding:4px 12px 4px 0">${html(k)}</th><td>${html(v)}</td></tr>`
		)
		.join('');
	const body =
		`<!doctype html><html lang="${l}"><body style="font-family:'Noto Sans',Arial,sans-serif;font-size:16px">` +
		`<p>${html(intro(m, l))}</p><table>${rows}</table>` +
		`<p><a href="${html(m.url)}" style="display:inline-block;padding:12px 18px;background:#0b5cad;color:#fff;text-decoration:none;border-radius:6px">${html(t(l, 'notify.open'))}</a></p>` +
		`<p style="color:#666;font-size:13px">${html(footer)}</p></body></html>`;
	return { subject: subjectOf(m, l), text, html: body };
}

export function pushOf(m: DeliveryMessage, l: Locale) {
	return {
		title: subjectOf(m, l),
		body: `${alertDetail(m, l)} · ${dateTime(m.at, l)}`,
		url: m.url,
		// one notification per alert on the device: a later transition replaces the earlier one
		tag: `alert-${m.alert_id}`,
		alert_id: m.alert_id,
		action: m.action
	};
}

/** A webhook's body: the transition as data, and its words in both languages for chat tools. */
export function webhookOf(m: DeliveryMessage, deliveryId: string) {
	return {
		type: `alert.${m.action}`,
		delivery_id: deliveryId,
		at: new Date(m.at).toISOString(),
		alert: {
			id: m.alert_id,
			rule: m.rule_id,
			severity: m.severity,
			school_id: m.school_id || null,
			school_name: m.school_name || null,
			district_id: m.district_id || null,
			district_name: m.district_name || null,
			value: m.value,
			detail: m.detail,
			url: m.url
		},
		actor: m.actor,
		note: m.note,
		text: { vi: textOf(m, 'vi'), en: textOf(m, 'en') }
	};
}

const textOf = (m: DeliveryMessage, l: Locale) =>
	`${subjectOf(m, l)}: ${alertDetail(m, l)} (${dateTime(m.at, l)}) ${m.url}`;
