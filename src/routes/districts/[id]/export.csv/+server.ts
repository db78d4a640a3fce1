/** The district's schools table as CSV: the same URL parameters as the page, so the same numbers. */
import { error } from '@sveltejs/kit';
import { aboutLines } from '$lib/components/drill/caption';
import { t } from '$lib/i18n/dictionary';
import { districtData } from '$lib/server/pages/drill';
import { csvResponse } from '$lib/server/export/csv';
import { KPI_IDS } from '$lib/shared/kpi';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const { locale, area, now, view, data: d } = await districtData(params.id, url, locals);
	const name = area.name;
	const tr = (k: Parameters<typeof t>[1]) => t(locale, k);
	const prev = d.range.prev !== null;
	const header = [
		tr('district.col.school'),
		'school_id',
		tr('a11y.school') + ' / ' + tr('district.setting'),
		tr('district.level'),
		tr('district.col.status'),
		...KPI_IDS.flatMap((k) =>
			prev
				? [tr(`kpi.short.${k}`), `${tr(`kpi.short.${k}`)} (${tr('drill.prev_period')})`]
				: [tr(`kpi.short.${k}`)]
		)
	];
	const r4 = (v: number | null | undefined) =>
		v === null || v === undefined ? null : Math.round(v * 10000) / 10000;
	// the page's other tables: ?table=setting|level|movers (default: the schools)
	const table = url.searchParams.get('table') ?? 'schools';
	if (table === 'setting' || table === 'level') {
		const groups = table === 'setting' ? d.by_setting : d.by_level;
		const label = (k: string) =>
			table === 'setting'
				? tr(`district.${k as 'urban' | 'rural'}`)
				: tr(`level.${k as 'primary'}`);
		return csvResponse(
			`${name} ${tr(table === 'setting' ? 'district.by_setting' : 'district.by_level')} ${d.range.from_day} ${d.range.to_day}`,
			{
				about: aboutLines(
					locale,
					`${name} · ${tr(table === 'setting' ? 'district.by_setting' : 'district.by_level')}`,
					d.range,
					view,
					now
				),
				header: [
					tr(table === 'setting' ? 'district.setting' : 'district.level'),
					tr('district.col.schools'),
					...KPI_IDS.map((k) => tr(`kpi.short.${k}`))
				],
				rows: groups.map((g) => [label(g.key), g.schools, ...KPI_IDS.map((k) => r4(g.values[k]))])
			}
		);
	}
	if (table === 'movers') {
		const m = d.movers;
		return csvResponse(`${name} movers ${m.day}`, {
			about: aboutLines(locale, `${name} · ${tr(`kpi.short.${m.kpi}`)}`, d.range, view, now),
			header: [
				tr('export.about.compare'),
				'school_id',
				tr('district.col.school'),
				'before',
				'after',
				'delta'
			],
			rows: [
				...m.yesterday.rows.map((r) => [
					m.yesterday.day,
					r.school_id,
					r.name,
					r4(r.before),
					r4(r.after),
					r4(r.delta)
				]),
				...m.last_week.rows.map((r) => [
					m.last_week.day,
					r.school_id,
					r.name,
					r4(r.before),
					r4(r.after),
					r4(r.delta)
				])
			]
		});
	}
	if (table !== 'schools')
		error(
			400,
			t(locale, 'view.error.param', {
				name: 'table',
				value: table,
				allowed: 'schools, setting, level, movers'
			})
		);
	return csvResponse(`${name} ${d.range.from_day} ${d.range.to_day}`, {
		about: aboutLines(locale, name, d.range, view, now),
		header,
		rows: d.schools.map((s) => [
			s.name,
			s.school_id,
			`${s.ward} (${tr(`district.${s.setting}`)})`,
			s.levels.map((l) => tr(`level.${l}`)).join(' + '),
			tr(`status.${s.status}`),
			...KPI_IDS.flatMap((k) => (prev ? [r4(s.values[k]), r4(s.prev?.[k])] : [r4(s.values[k])]))
		])
	});
};
