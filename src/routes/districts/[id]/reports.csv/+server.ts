/**
 * Every attendance report (one class, one session) of the district's schools in the range, as
 * CSV: the big export. Rows stream from ClickHouse to the client as they come; nothing is held
 * whole in memory, whatever the range.
 */
import { aboutLines } from '$lib/components/drill/caption';
import { t } from '$lib/i18n/dictionary';
import { schoolsOfDistrict } from '$lib/server/drill/district';
import { rangeInfo } from '$lib/server/drill/measure';
import { attendanceReports } from '$lib/server/drill/reports';
import { districtRequest } from '$lib/server/pages/drill';
import { csvResponse } from '$lib/server/export/csv';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	// the registry is the scope's: its schools only
	const { locale, rt, registry, area, now, view, range } = await districtRequest(
		params.id,
		url,
		locals
	);
	const schools = schoolsOfDistrict(registry, area.area_id).filter(
		(s) => !view.level || s.levels.includes(view.level)
	);
	const names = new Map(schools.map((s) => [s.school_id, s.name]));
	const name = area.name;
	const info = rangeInfo(range);
	return csvResponse(`${name} ${t(locale, 'export.reports')} ${info.from_day} ${info.to_day}`, {
		about: aboutLines(locale, name, info, view, now),
		header: [
			'ts',
			'school_id',
			t(locale, 'district.col.school'),
			'class',
			'grade',
			'session',
			'enrolled',
			'present',
			'absent_excused',
			'absent_unexcused'
		],
		rows: (async function* () {
			for await (const r of attendanceReports(rt.ch, [...names.keys()], range.from, range.to))
				yield [r[0], r[1], names.get(r[1]) ?? '', ...r.slice(2)];
		})()
	});
};
