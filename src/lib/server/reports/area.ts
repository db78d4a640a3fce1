/**
 * A district's or a school's report for any period (Plan 83 II.1.d: "statistics for the school's
 * own management and reports to the level above on request"; VI.5: a district supervises its
 * schools and reports to the Department). The same engine as the yearly report: its figures, its
 * tables, compared with the period of the same length before when that is within the retention.
 */
import type { Locale } from '../../i18n/dictionary';
import { dateMinute } from '../../format';
import { KPI_IDS } from '../../shared/kpi';
import { formatDay } from '../../shared/range';
import { districtResolver, type Registry } from '../../shared/registry';
import type { ReportDoc } from './doc';
import type { Figures } from './figures';
import {
	Writer,
	kpiPara,
	reportingPara,
	alertBlocks,
	behindBlocks,
	closingParts,
	datasetsTable,
	districtChart,
	findings,
	kpiSchoolTable,
	monthsBlocks
} from './parts';
import type { ReportSpec } from './request';

export interface AreaReportInput {
	spec: ReportSpec;
	figures: Figures;
	registry: Registry;
	locale: Locale;
	now: number;
}

export function areaReport(inp: AreaReportInput): ReportDoc {
	const { spec, figures: f, registry: reg, locale } = inp;
	const w = new Writer(locale);
	const r = f.range;
	const from = w.day(formatDay(r.fromDay));
	const to = w.day(formatDay(r.toDay));
	const at = dateMinute(inp.now, locale);
	const districtOf = districtResolver(reg.areas);
	const districtName = (id: string) => reg.areas.find((a) => a.area_id === id)?.name ?? id;
	const school = spec.school;
	const districtId = school ? districtOf(school) : spec.district!.area_id;
	const dName = districtId ? districtName(districtId) : '';
	const districtArea = reg.areas.find((a) => a.area_id === districtId) ?? null;
	const areaName = school ? school.name : dName;
	const issuer = school ? school.name.toUpperCase() : 'PHÒNG GIÁO DỤC VÀ ĐÀO TẠO';
	const issuerText = school ? school.name : w.tx('report.doc.issuer_district_text');

	const prev = r.query.compare
		? w.tx('report.doc.prev_period', {
				from: w.day(formatDay(r.fromDay - r.days)),
				to: w.day(formatDay(r.toDay - r.days))
			})
		: w.tx('report.doc.no_prev');
	w.para(
		w.tx('report.doc.area_intro', {
			issuer: issuerText,
			area: areaName,
			from,
			to,
			days: r.days,
			prev
		})
	);
	w.heading(1, w.tx('report.doc.part1'));

	// the figures against the period before and the city
	w.heading(2, w.tx('report.doc.a1'));
	kpiPara(w, f);
	w.table(
		'report.doc.t_compare',
		[
			{ label: '', align: 'left', width: 1.6 },
			...KPI_IDS.map((k) => ({ label: w.kpiName(k), align: 'right' as const }))
		],
		[
			[areaName, ...KPI_IDS.map((k) => w.pct(f.values[k]))],
			...(f.prev ? [[prev, ...KPI_IDS.map((k) => w.pct(f.prev![k]))]] : []),
			...(f.prev
				? [
						[
							w.tx('report.doc.col.change'),
							...KPI_IDS.map((k) => w.change(f.values[k], f.prev![k]))
						]
					]
				: []),
			// a scoped reader sees its own area only, not the city's sums (docs/scopes.md)
			...(spec.scoped
				? []
				: [
						[
							w.tx('report.doc.city'),
							...KPI_IDS.map((k) => w.pct(k === 'completeness' ? null : f.city[k]))
						]
					])
		],
		{ note: `${w.tx('report.doc.kpi_note')} ${w.tx('report.doc.source_note', { at })}` }
	);
	monthsBlocks(w, f);
	if (!school) {
		kpiSchoolTable(w, f);
		districtChart(w, f);
		behindBlocks(w, f, districtName);
	}

	// data: completeness by dataset and syncs
	w.heading(2, w.tx('report.doc.a2'));
	reportingPara(w, f);
	datasetsTable(w, f);
	w.heading(2, w.tx('report.doc.a3'));
	alertBlocks(w, f);
	closingParts(w, findings(w, f));
	w.para(
		w.tx('report.doc.closing', {
			what: w.tx('report.doc.closing_area', { from, to }),
			issuer: issuerText
		})
	);

	const title2 = w.tx('report.doc.area_title_2', { area: areaName, from, to });
	return {
		locale,
		header: {
			parent: school
				? w.tx('report.doc.parent_school', {
						district: `${w.tx('report.doc.issuer_district')} ${w.unit(districtArea)}`
					})
				: w.tx('report.doc.parent_district', { district: w.unit(districtArea) }),
			issuer: school ? issuer : w.tx('report.doc.issuer_district'),
			// a school's own symbol is the clerk's to write
			number: w.tx('report.doc.number', { symbol: school ? '……' : 'PGDĐT' }),
			placeDate: w.tx('report.doc.place_date', { year: formatDay(r.toDay).slice(0, 4) }),
			kind: w.tx('report.doc.kind'),
			title: [w.tx('report.doc.area_title_1'), title2]
		},
		addressee: school
			? w.tx('report.doc.addressee_district', { district: dName })
			: w.tx('report.doc.addressee_department'),
		blocks: w.blocks,
		recipients: {
			heading: w.tx('report.doc.recipients'),
			lines: [
				w.tx('report.doc.rcpt_above'),
				...(school ? [w.tx('report.doc.rcpt_school')] : []),
				w.tx('report.doc.rcpt_archive')
			]
		},
		signature: {
			authority: '',
			title: school ? w.tx('report.doc.sign_principal') : w.tx('report.doc.sign_head'),
			name: ''
		},
		meta: {
			title: `${w.tx('report.doc.area_title_1')} ${title2}`,
			subject: areaName,
			generatedAt: new Date(inp.now).toISOString(),
			footer: w.tx('report.doc.footer', { at, from, to })
		}
	};
}
