/** A school page's tables as CSV (devices, grades, datasets): the same URL parameters as the page. */
import { error } from '@sveltejs/kit';
import { aboutLines } from '$lib/components/drill/caption';
import { parseLocale, t } from '$lib/i18n/dictionary';
import { schoolData } from '$lib/server/pages/drill';
import { csvResponse, type Cell } from '$lib/server/export/csv';
import type { SchoolView } from '$lib/shared/drill';
import type { RequestHandler } from './$types';

type Tr = (k: Parameters<typeof t>[1], p?: Record<string, string | number>) => string;
const r4 = (v: number | null) => (v === null ? null : Math.round(v * 10000) / 10000);

const TABLES: Record<
	string,
	(d: SchoolView, tr: Tr) => { title: string; header: string[]; rows: Cell[][] }
> = {
	devices: (d, tr) => ({
		title: tr('school.devices'),
		header: [
			'device_id',
			tr('school.col.device'),
			tr('school.col.room'),
			tr('school.col.uptime'),
			'heartbeats',
			tr('school.col.went_down'),
			tr('school.col.last'),
			'status',
			'reason'
		],
		rows: d.devices.map((x) => [
			x.device_id,
			tr(`device.${x.kind}` as Parameters<typeof t>[1]),
			x.room,
			r4(x.uptime),
			x.heartbeats,
			x.went_down,
			x.last_seen,
			x.last_status,
			x.last_reason
		])
	}),
	grades: (d, tr) => ({
		title: tr('school.grades'),
		header: [
			tr('school.col.grade'),
			tr('school.col.session'),
			tr('school.col.reports'),
			tr('school.col.enrolled'),
			tr('school.col.present'),
			tr('school.col.excused'),
			tr('school.col.unexcused')
		],
		rows: d.attendance_by_grade.map((g) => [
			g.grade,
			tr(`session.${g.session}` as Parameters<typeof t>[1]),
			g.reports,
			g.enrolled,
			g.present,
			g.absent_excused,
			g.absent_unexcused
		])
	}),
	datasets: (d, tr) => ({
		title: tr('school.datasets'),
		header: [
			tr('school.col.dataset'),
			'required_fields',
			'filled_fields',
			'records',
			tr('school.col.missing'),
			tr('school.col.sync_department'),
			tr('school.col.sync_ministry')
		],
		rows: d.datasets.map((x) => [
			tr(`dataset.${x.dataset}` as Parameters<typeof t>[1]),
			x.required,
			x.filled,
			x.records,
			x.missing_fields.join('; '),
			x.last_sync_department,
			x.last_sync_ministry
		])
	})
};

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const locale = parseLocale(url.searchParams.get('lang'));
	const table = TABLES[params.table];
	if (!table)
		error(
			404,
			t(locale, 'view.error.param', {
				name: 'table',
				value: params.table,
				allowed: Object.keys(TABLES).join(', ')
			})
		);
	const { now, view, data: d } = await schoolData(params.id, url, locals);
	const tr: Tr = (k, p) => t(locale, k, p);
	const out = table(d, tr);
	return csvResponse(`${d.school.name} ${out.title} ${d.range.from_day} ${d.range.to_day}`, {
		about: aboutLines(locale, `${d.school.name} · ${out.title}`, d.range, view, now),
		header: out.header,
		rows: out.rows
	});
};
