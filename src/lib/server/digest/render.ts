/**
 * A digest as an email in one language: subject, plain text and HTML. The HTML is for mail
 * readers, not browsers: tables and inline styles only, hex colours, one column that fits a phone
 * (390 px) and stays 640 px wide on a desk, every number also said in words in the text part.
 * Rendered when the digest is planned and kept in the outbox, so a retry says the same thing.
 */
import { alertDetail } from '../../i18n/alert-text';
import { t, type Locale, type MessageKey } from '../../i18n/dictionary';
import { dateMinute, pct, points } from '../../format';
import { weekSearch } from '../../shared/digest';
import { THRESHOLDS, type Status } from '../../shared/kpi';
import { STATUS_RGB } from '../../shared/colors';
import type { RenderedEmail } from '../notify/messages';
import type { AttentionRow, Digest, GapRow } from './content';

const esc = (s: string) =>
	s.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);

/** `YYYY-MM-DD` → `DD/MM/YYYY` (both languages write dates so in Vietnam). */
const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

const hex = (s: Status) => `#${STATUS_RGB[s].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const C = {
	ink: '#1b2430',
	muted: '#5b6676',
	line: '#dde3ea',
	page: '#eef1f5',
	brand: '#0b5cad',
	up: '#1b7a4c',
	down: '#b3261e'
};
const FONT = "'Noto Sans','Segoe UI',Roboto,Arial,sans-serif";

export interface DigestLinks {
	/** https://edu.example.vn */
	origin: string;
}

const districtName = (d: Digest, l: Locale) =>
	l === 'en' && d.district.name_en ? d.district.name_en : d.district.name;

/** The value, or "no data". */
const value = (v: number | null, l: Locale) => (v === null ? t(l, 'status.nodata') : pct(v, l));
/** The change, or "no data to compare". */
const change = (d: number | null, l: Locale) =>
	d === null ? t(l, 'digest.no_compare') : points(d, l);
const changeColor = (d: number | null) =>
	d === null || Math.abs(d) < 0.0005 ? C.muted : d > 0 ? C.up : C.down;

export function renderDigest(d: Digest, l: Locale, links: DigestLinks): RenderedEmail {
	const o = links.origin;
	const name = districtName(d, l);
	const search = weekSearch(d.monday, l);
	const pageUrl = `${o}/districts/${encodeURIComponent(d.district.id)}${search}`;
	const schoolUrl = (id: string) => `${o}/schools/${encodeURIComponent(id)}${search}`;
	const alertUrl = (id: string) =>
		`${o}/alerts/${encodeURIComponent(id)}${l === 'en' ? '?lang=en' : ''}`;
	const settingsUrl = `${o}/settings/notifications`;
	const subject = t(l, 'digest.subject', { district: name, from: dmy(d.from), to: dmy(d.to) });
	const period = t(l, 'digest.period', {
		from: dmy(d.from),
		to: dmy(d.to),
		prev_from: dmy(d.prev_from),
		prev_to: dmy(d.prev_to)
	});
	const intro = t(l, 'digest.intro', { schools: d.total_schools, district: name });
	const counts = t(l, 'digest.status_counts', d.status_counts);
	const kpiName = (k: string) => t(l, `digest.kpi.${k}` as MessageKey);
	const reason = (r: AttentionRow['reason']) => t(l, `digest.reason.${r}`);
	const alertCounts = t(l, 'digest.alerts.counts', {
		fired: d.alerts.fired,
		escalated: d.alerts.escalated,
		acknowledged: d.alerts.acknowledged,
		resolved: d.alerts.resolved,
		open: d.alerts.open
	});
	const alertLine = (a: Digest['alerts']['list'][number]) => ({
		title: `${t(l, `alert.rule.${a.rule_id}`)} — ${a.school_name || t(l, 'alert.city')}`,
		meta: `${t(l, `alert.severity.${a.severity}`)} · ${t(l, `digest.alert.state.${a.state}`)} · ${t(l, 'digest.alerts.since', { time: dateMinute(a.opened_at, l) })}`,
		detail: alertDetail(a, l)
	});
	const moreAlerts = d.alerts.open - d.alerts.list.length;
	const gapSections: {
		title: string;
		rows: GapRow[];
		more: number;
		show: (g: GapRow) => string;
	}[] = [
		{
			title: t(l, 'digest.gaps.below', { target: pct(THRESHOLDS.completeness.target, l, 0) }),
			...d.gaps.below,
			show: (g: GapRow) => pct(g.value ?? null, l)
		},
		{
			title: t(l, 'digest.gaps.overdue'),
			...d.gaps.overdue,
			show: (g: GapRow) =>
				g.last_sync
					? t(l, 'digest.gaps.last_sync', { time: dateMinute(g.last_sync, l) })
					: t(l, 'digest.gaps.never')
		},
		{ title: t(l, 'digest.gaps.silent'), ...d.gaps.silent, show: () => '' }
	].filter((g) => g.rows.length);
	const footer = t(l, 'digest.footer', { district: name, url: settingsUrl });
	const open = t(l, 'digest.open', { district: name });

	// ── plain text ─────────────────────────────────────────────────────────────────────────
	const text: string[] = [t(l, 'digest.title', { district: name }), period, '', intro, ''];
	text.push(`== ${t(l, 'digest.kpis')} ==`);
	for (const k of d.kpis)
		text.push(
			`${kpiName(k.kpi)}: ${value(k.value, l)} (${t(l, 'digest.col.prev').toLowerCase()}: ${value(k.prev, l)}; ${change(k.delta, l)})`
		);
	text.push(counts, '', `== ${t(l, 'digest.attention')} ==`);
	if (d.attention.every((a) => !a.rows.length)) text.push(t(l, 'digest.attention.none'));
	for (const a of d.attention.filter((a) => a.rows.length)) {
		text.push(`${kpiName(a.kpi)}:`);
		for (const r of a.rows)
			text.push(
				`- ${r.name}: ${value(r.value, l)} (${change(r.delta, l)}), ${reason(r.reason)} — ${schoolUrl(r.school_id)}`
			);
		if (a.more) text.push(`  ${t(l, 'digest.more', { n: a.more })}`);
	}
	text.push('', `== ${t(l, 'digest.alerts')} ==`);
	if (!d.alerts.fired && !d.alerts.open && !d.alerts.resolved)
		text.push(t(l, 'digest.alerts.none'));
	else {
		text.push(alertCounts);
		if (d.alerts.list.length) text.push(`${t(l, 'digest.alerts.open')}:`);
		for (const a of d.alerts.list) {
			const x = alertLine(a);
			text.push(`- ${x.title} (${x.meta}): ${x.detail} — ${alertUrl(a.id)}`);
		}
		if (moreAlerts > 0) text.push(`  ${t(l, 'digest.alerts.more', { n: moreAlerts })}`);
	}
	text.push('', `== ${t(l, 'digest.gaps')} ==`);
	if (!gapSections.length) text.push(t(l, 'digest.gaps.none'));
	for (const g of gapSections) {
		text.push(`${g.title}:`);
		for (const r of g.rows) text.push(`- ${r.name}${g.show(r) ? `: ${g.show(r)}` : ''}`);
		if (g.more) text.push(`  ${t(l, 'digest.more', { n: g.more })}`);
	}
	text.push('', `${open}: ${pageUrl}`, '', '—', footer);

	// ── HTML ───────────────────────────────────────────────────────────────────────────────
	const h2 = (s: string) =>
		`<h2 style="margin:28px 0 8px;font-size:18px;line-height:1.3;color:${C.ink}">${esc(s)}</h2>`;
	const h3 = (s: string) =>
		`<h3 style="margin:16px 0 4px;font-size:15px;line-height:1.3;color:${C.ink}">${esc(s)}</h3>`;
	const p = (s: string, style = '') => `<p style="margin:8px 0;${style}">${s}</p>`;
	const a = (href: string, s: string) =>
		`<a href="${esc(href)}" style="color:${C.brand};text-decoration:underline">${esc(s)}</a>`;
	const th = (s: string, align = 'left') =>
		`<th align="${align}" style="padding:6px 8px 6px 0;font-size:13px;font-weight:600;color:${C.muted};border-bottom:1px solid ${C.line}">${esc(s)}</th>`;
	const td = (s: string, align = 'left', extra = '') =>
		`<td align="${align}" valign="top" style="padding:8px 8px 8px 0;border-bottom:1px solid ${C.line};${extra}">${s}</td>`;
	const table = (head: string, rows: string) =>
		`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;font-size:15px;line-height:1.4"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
	const dot = (s: Status) =>
		`<span style="display:inline-block;width:10px;height:10px;border-radius:5px;background:${hex(s)};margin-right:6px;vertical-align:baseline"></span>`;
	const small = (s: string, color: string = C.muted) =>
		`<span style="font-size:13px;color:${color}">${s}</span>`;
	/** The right-hand cell: the value large, its change (coloured) and the week before's small. */
	const figure = (v: number | null, prev: number | null, x: number | null, withPrev: boolean) =>
		`<strong style="font-size:${v === null ? 15 : 17}px">${esc(value(v, l))}</strong><br>` +
		small(esc(change(x, l)), changeColor(x)) +
		(withPrev && prev !== null
			? `<br>${small(esc(`${t(l, 'digest.col.prev').toLowerCase()}: ${value(prev, l)}`))}`
			: '');

	const kpiRows = d.kpis
		.map(
			(k) =>
				`<tr>${td(`${esc(kpiName(k.kpi))}<br>${small(`${dot(k.status)}${esc(t(l, `status.${k.status}`))}`)}`)}${td(
					figure(k.value, k.prev, k.delta, true),
					'right',
					'width:42%'
				)}</tr>`
		)
		.join('');
	const attention = d.attention.every((x) => !x.rows.length)
		? p(esc(t(l, 'digest.attention.none')), `color:${C.muted}`)
		: d.attention
				.filter((x) => x.rows.length)
				.map(
					(x) =>
						h3(kpiName(x.kpi)) +
						table(
							th(t(l, 'digest.col.school')) + th(t(l, 'digest.col.week'), 'right'),
							x.rows
								.map(
									(r) =>
										`<tr>${td(`${a(schoolUrl(r.school_id), r.name)}<br>${small(esc(reason(r.reason)))}`)}${td(figure(r.value, r.prev, r.delta, false), 'right', 'width:42%')}</tr>`
								)
								.join('')
						) +
						(x.more
							? p(esc(t(l, 'digest.more', { n: x.more })), `color:${C.muted};font-size:14px`)
							: '')
				)
				.join('');
	const alerts =
		!d.alerts.fired && !d.alerts.open && !d.alerts.resolved
			? p(esc(t(l, 'digest.alerts.none')), `color:${C.muted}`)
			: p(esc(alertCounts)) +
				(d.alerts.list.length
					? h3(t(l, 'digest.alerts.open')) +
						`<ul style="margin:4px 0;padding-left:20px">${d.alerts.list
							.map((x) => {
								const v = alertLine(x);
								return `<li style="margin:0 0 10px">${a(alertUrl(x.id), v.title)}<br><span style="font-size:13px;color:${C.muted}">${esc(v.meta)}</span><br><span style="font-size:14px">${esc(v.detail)}</span></li>`;
							})
							.join('')}</ul>`
					: '') +
				(moreAlerts > 0
					? p(esc(t(l, 'digest.alerts.more', { n: moreAlerts })), `color:${C.muted};font-size:14px`)
					: '');
	const gaps = !gapSections.length
		? p(esc(t(l, 'digest.gaps.none')), `color:${C.muted}`)
		: gapSections
				.map(
					(g) =>
						h3(g.title) +
						`<ul style="margin:4px 0;padding-left:20px">${g.rows
							.map(
								(r) =>
									`<li style="margin:0 0 6px">${a(schoolUrl(r.school_id), r.name)}${g.show(r) ? ` <span style="color:${C.muted};white-space:nowrap">· ${esc(g.show(r))}</span>` : ''}</li>`
							)
							.join('')}</ul>` +
						(g.more
							? p(esc(t(l, 'digest.more', { n: g.more })), `color:${C.muted};font-size:14px`)
							: '')
				)
				.join('');

	const html =
		`<!doctype html><html lang="${l}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(subject)}</title></head>` +
		`<body style="margin:0;padding:0;background:${C.page};font-family:${FONT};color:${C.ink}">` +
		`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:${C.page}"><tr><td align="center" style="padding:16px 8px">` +
		`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:640px;background:#ffffff;border-radius:8px"><tr><td style="padding:20px 16px 24px;font-size:16px;line-height:1.5">` +
		`<p style="margin:0 0 4px;font-size:13px;color:${C.muted}">${esc(t(l, 'app.title'))}</p>` +
		`<h1 style="margin:0 0 4px;font-size:22px;line-height:1.25;color:${C.ink}">${esc(t(l, 'digest.title', { district: name }))}</h1>` +
		p(esc(period), `margin-top:0;color:${C.muted};font-size:14px`) +
		p(esc(intro)) +
		h2(t(l, 'digest.kpis')) +
		table(th(t(l, 'digest.col.kpi')) + th(t(l, 'digest.col.week'), 'right'), kpiRows) +
		p(esc(counts), `font-size:14px;color:${C.muted}`) +
		h2(t(l, 'digest.attention')) +
		attention +
		h2(t(l, 'digest.alerts')) +
		alerts +
		h2(t(l, 'digest.gaps')) +
		gaps +
		`<p style="margin:28px 0 8px"><a href="${esc(pageUrl)}" style="display:inline-block;padding:12px 18px;background:${C.brand};color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600">${esc(open)}</a></p>` +
		`<p style="margin:24px 0 0;color:${C.muted};font-size:13px">${esc(footer)}</p>` +
		`</td></tr></table></td></tr></table></body></html>`;

	return { subject, text: text.join('\n'), html };
}
