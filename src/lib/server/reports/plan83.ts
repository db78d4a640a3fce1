/**
 * The yearly report on Plan 83/KH-UBND (section VI.1.g: the Department reports the year's results
 * to the City People's Committee by mid-November), for the city or, for a district office, one
 * district. Its body follows the plan's own sections: II.1 the operations centre and sector
 * database, II.2 multimedia and smart interactive classrooms against the appendix's roll-out,
 * II.3 the e-library schools by name, then the year's operating figures, an assessment and next
 * steps. Every figure comes from Figures (ClickHouse, the store) and the registry.
 */
import type { Locale } from '../../i18n/dictionary';
import { dateMinute } from '../../format';
import { KPI_COLOR } from '../../shared/colors';
import { formatDay } from '../../shared/range';
import {
	SCHOOL_LEVELS,
	districtResolver,
	type Registry,
	type SchoolLevel
} from '../../shared/registry';
import { PLAN83, elibraryList, installedBy, plan83View, type Plan83Plan } from '../plan83/view';
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
	kpiDistrictTable,
	monthsBlocks,
	reportingTable
} from './parts';
import type { ReportSpec } from './request';

export interface PlanReportInput {
	spec: ReportSpec;
	figures: Figures;
	registry: Registry;
	locale: Locale;
	now: number;
	plan?: Plan83Plan;
}

/** The appendix's room table, row by row (year × level), as the plan states it. */
export function rolloutRows(plan: Plan83Plan): {
	year: number;
	districts: string[];
	level: SchoolLevel;
	mm: [number, number] | null;
	sm: [number, number] | null;
}[] {
	const years = [
		...new Set(
			[...plan.multimedia_classrooms, ...plan.smart_interactive_classrooms].map((r) => r.year)
		)
	].sort((a, b) => a - b);
	const out = [];
	for (const year of years) {
		const mm = plan.multimedia_classrooms.find((r) => r.year === year);
		const sm = plan.smart_interactive_classrooms.find((r) => r.year === year);
		const districts = [...new Set([...(mm?.districts ?? []), ...(sm?.districts ?? [])])];
		for (const level of SCHOOL_LEVELS) {
			const a = mm?.schools[level];
			const b = sm?.schools[level];
			if (a === undefined && b === undefined) continue;
			out.push({
				year,
				districts,
				level,
				mm: a === undefined ? null : ([a, mm!.rooms_per_school[level] ?? 0] as [number, number]),
				sm: b === undefined ? null : ([b, sm!.rooms_per_school[level] ?? 0] as [number, number])
			});
		}
	}
	return out;
}

export function planReport(inp: PlanReportInput): ReportDoc {
	const { spec, figures: f, registry: reg, locale } = inp;
	const plan = inp.plan ?? PLAN83;
	const w = new Writer(locale);
	const Y = spec.year!;
	const district = spec.district;
	const at = dateMinute(inp.now, locale);
	const issuer = district ? w.tx('report.doc.issuer_district') : w.tx('report.doc.issuer');
	const issuerText = w.tx(district ? 'report.doc.issuer_district_text' : 'report.doc.issuer_text');
	const areaName = district ? district.name : w.tx('report.doc.city');
	const districtName = (id: string) =>
		reg.areas.find((a) => a.area_id === id)?.name ??
		plan.districts.find((d) => d.id === id)?.name ??
		id;
	const view = plan83View(
		reg,
		{ year: Y, district: district?.area_id ?? null },
		{ plan, laterYears: true }
	);

	w.para(
		w.tx('report.doc.plan_intro', {
			issuer: issuerText,
			year: Y,
			area: areaName,
			from: w.day(formatDay(f.range.fromDay)),
			to: w.day(formatDay(f.range.toDay))
		})
	);
	w.heading(1, w.tx('report.doc.part1'));

	// II.1 the operations centre and the sector database
	w.heading(2, w.tx('report.doc.s1'));
	reportingPara(w, f);
	reportingTable(w, f);
	datasetsTable(w, f);

	// II.2 multimedia and smart interactive classrooms
	w.heading(2, w.tx('report.doc.s2'));
	const schools = f.schools;
	const mm = schools.filter((s) => installedBy(s, 'multimedia', Y));
	const sm = schools.filter((s) => installedBy(s, 'smart', Y));
	const t = (id: string) => view.targets.find((x) => x.id === id);
	const share = t('multimedia_share_2025');
	const shareValue = district ? share?.districts[district.area_id] : share?.city;
	const equip = t('classroom_equipment_2030');
	const equipValue = district ? equip?.districts[district.area_id] : equip?.city;
	w.para(
		w.tx('report.doc.s2_text', {
			year: Y,
			mm_schools: w.int(mm.length),
			mm_rooms: w.int(mm.reduce((a, s) => a + s.multimedia_rooms, 0)),
			sm_schools: w.int(sm.length),
			sm_rooms: w.int(sm.reduce((a, s) => a + s.smart_rooms, 0)),
			urban_share: shareValue?.applies === false ? '—' : w.pct(shareValue?.current ?? null),
			equipped: equipValue ? w.share(equipValue.numerator, equipValue.denominator) : '—'
		})
	);
	w.para(w.tx('report.doc.s2_plan_note', { n: w.nextTable }));
	const level = (l: SchoolLevel) => w.app(`level.${l}`);
	const pair = (x: [number, number] | null, i: 0 | 1) => (x ? w.int(x[i]) : '—');
	w.table(
		'report.doc.t_rollout_plan',
		[
			{ label: w.tx('report.doc.col.year'), align: 'center', width: 0.8 },
			{ label: w.tx('report.doc.col.districts'), align: 'left', width: 2 },
			{ label: w.tx('report.doc.col.level'), align: 'left', width: 1 },
			{ label: w.tx('report.doc.col.mm_schools'), align: 'right', width: 0.95 },
			{ label: w.tx('report.doc.col.mm_per'), align: 'right', width: 0.95 },
			{ label: w.tx('report.doc.col.sm_schools'), align: 'right', width: 0.95 },
			{ label: w.tx('report.doc.col.sm_per'), align: 'right', width: 0.95 }
		],
		rolloutRows(plan).map((r) => [
			String(r.year),
			r.districts.map(districtName).join(', '),
			level(r.level),
			pair(r.mm, 0),
			pair(r.mm, 1),
			pair(r.sm, 0),
			pair(r.sm, 1)
		]),
		{ note: plan === PLAN83 ? w.tx('report.doc.rollout_note') : undefined }
	);
	const dash = (v: number | null) => (v === null ? '—' : w.int(v));
	const cum = view.cumulative.filter((c) => c.year <= Y);
	w.table(
		'report.doc.t_rollout_done',
		[
			{ label: w.tx('report.doc.col.year'), align: 'center', width: 0.8 },
			{ label: w.tx('report.doc.col.item'), align: 'left', width: 2 },
			{ label: w.tx('report.doc.col.planned_schools'), align: 'right' },
			{ label: w.tx('report.doc.col.installed_schools'), align: 'right' },
			{ label: w.tx('report.doc.col.planned_rooms'), align: 'right' },
			{ label: w.tx('report.doc.col.installed_rooms'), align: 'right' }
		],
		cum.flatMap((c) =>
			(['multimedia', 'smart'] as const).map((item) => [
				String(c.year),
				w.tx(`report.doc.${item}`),
				dash(c[item].planned_schools),
				w.int(c[item].installed_schools),
				dash(c[item].planned_rooms),
				w.int(c[item].installed_rooms)
			])
		)
	);
	if (cum.length >= 2 && !district)
		w.chart('report.doc.c_rollout', {
			kind: 'bars',
			labels: cum.map((c) => String(c.year)),
			// short names (the abbreviations of the table above) keep the legend on one line; the
			// plan is an outline, so planned and installed read apart in black and white too
			series: (['multimedia', 'smart'] as const).flatMap((item) => {
				const abbr = w.tx(item === 'multimedia' ? 'report.doc.abbr_mm' : 'report.doc.abbr_sm');
				const color = item === 'multimedia' ? KPI_COLOR.light.attendance : KPI_COLOR.light.uptime;
				return [
					{
						name: `${abbr} · ${w.tx('report.doc.planned')}`,
						values: cum.map((c) => c[item].planned_schools),
						color,
						dashed: true
					},
					{
						name: `${abbr} · ${w.tx('report.doc.installed')}`,
						values: cum.map((c) => c[item].installed_schools),
						color
					}
				];
			}),
			unit: 'count'
		});
	const rows = view.groups.flatMap((g) => g.rows);
	const pairOf = (x: { schools: number; rooms: number }) => `${w.int(x.schools)}/${w.int(x.rooms)}`;
	const sumOf = (g: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + g(r), 0);
	const classrooms = sumOf((r) => r.classrooms);
	w.table(
		'report.doc.t_rollout_district',
		[
			{ label: w.tx('report.doc.col.district'), align: 'left', width: 1.6 },
			{ label: w.tx('report.doc.col.eligible'), align: 'right' },
			{ label: w.tx('report.doc.col.mm'), align: 'right', width: 1.2 },
			{ label: w.tx('report.doc.col.share'), align: 'right' },
			{ label: w.tx('report.doc.col.sm'), align: 'right', width: 1.2 }
		],
		rows.map((r) => [
			districtName(r.district),
			w.int(r.eligible),
			pairOf(r.multimedia),
			w.pct(r.multimedia_share),
			pairOf(r.smart)
		]),
		{
			total: [
				w.tx('report.doc.total'),
				w.int(sumOf((r) => r.eligible)),
				`${w.int(sumOf((r) => r.multimedia.schools))}/${w.int(sumOf((r) => r.multimedia.rooms))}`,
				w.pct(classrooms > 0 ? sumOf((r) => r.multimedia.rooms) / classrooms : null),
				`${w.int(sumOf((r) => r.smart.schools))}/${w.int(sumOf((r) => r.smart.rooms))}`
			]
		}
	);

	// II.3 e-libraries, by name
	w.heading(2, w.tx('report.doc.s3'));
	const districtOf = districtResolver(reg.areas);
	const list = elibraryList(reg, plan).filter(
		(x) =>
			x.entry.elibrary_year <= Y &&
			(!district ||
				(x.school
					? districtOf(x.school) === district.area_id
					: x.entry.district_id === district.area_id))
	);
	const has = list.filter((x) => x.school && installedBy(x.school, 'elibrary', Y));
	w.para(
		w.tx('report.doc.s3_text', {
			planned: w.int(list.length),
			year: Y,
			installed: w.int(has.length),
			installed_pct: w.pct(list.length > 0 ? has.length / list.length : null),
			missing: w.int(list.length - has.length),
			all: w.int(schools.filter((s) => installedBy(s, 'elibrary', Y)).length)
		})
	);
	w.table(
		'report.doc.t_elibrary',
		[
			{ label: w.tx('report.doc.col.seq'), align: 'center', width: 0.45 },
			{ label: w.tx('report.doc.col.school'), align: 'left', width: 2.4 },
			{ label: w.tx('report.doc.col.district'), align: 'left', width: 1.1 },
			{ label: w.tx('report.doc.col.due'), align: 'center', width: 0.8 },
			{ label: w.tx('report.doc.col.state'), align: 'left', width: 1.3 }
		],
		list.map((x) => {
			const s = x.school;
			const state = !s
				? w.tx('report.doc.elib_unknown')
				: installedBy(s, 'elibrary', Y)
					? w.tx('report.doc.elib_has', { year: s.elibrary_year ?? '' })
					: s.elibrary && s.elibrary_year !== null
						? w.tx('report.doc.elib_later', { year: s.elibrary_year })
						: w.tx('report.doc.elib_missing');
			return [
				String(x.entry.seq),
				s?.name ?? x.entry.name,
				districtName(x.entry.district_id),
				String(x.entry.elibrary_year),
				state
			];
		})
	);

	// the year's operating figures
	w.heading(2, w.tx('report.doc.s4'));
	kpiPara(w, f);
	kpiDistrictTable(w, f, at);
	districtChart(w, f);
	monthsBlocks(w, f);
	behindBlocks(w, f, districtName);
	alertBlocks(w, f);

	// assessment and next steps
	const missingRooms = view.missing.multimedia.length + view.missing.smart.length;
	const extra: string[] = [];
	const todo: string[] = [];
	if (missingRooms > 0) {
		extra.push(
			w.tx('report.doc.gap_rooms', {
				mm: w.int(view.missing.multimedia.length),
				sm: w.int(view.missing.smart.length)
			})
		);
		todo.push(w.tx('report.doc.todo_rooms'));
	}
	if (list.length > has.length) {
		extra.push(w.tx('report.doc.gap_elib', { n: w.int(list.length - has.length) }));
		todo.push(w.tx('report.doc.todo_elib'));
	}
	const found = findings(w, f, extra);
	closingParts(w, { gaps: found.gaps, todo: [...todo, ...found.todo] });
	w.para(
		w.tx('report.doc.closing', {
			what: w.tx('report.doc.closing_plan', { year: Y }),
			issuer: issuerText
		})
	);

	const title1 = w.tx('report.doc.plan_title_1', { year: Y });
	const title2 = w.tx('report.doc.plan_title_2', {
		area: district ? w.tx('report.doc.plan_title_area', { district: district.name }) : ''
	});
	return {
		locale,
		header: {
			parent: district
				? w.tx('report.doc.parent_district', { district: w.unit(district) })
				: w.tx('report.doc.parent'),
			issuer,
			number: w.tx('report.doc.number', { symbol: district ? 'PGDĐT' : 'SGDĐT' }),
			placeDate: w.tx('report.doc.place_date', { year: civilYear(inp.now) }),
			kind: w.tx('report.doc.kind'),
			title: [title1, title2]
		},
		addressee: district
			? w.tx('report.doc.addressee_department')
			: w.tx('report.doc.addressee_city'),
		blocks: w.blocks,
		recipients: {
			heading: w.tx('report.doc.recipients'),
			lines: district
				? [w.tx('report.doc.rcpt_above'), w.tx('report.doc.rcpt_archive')]
				: [
						w.tx('report.doc.rcpt_above'),
						w.tx('report.doc.rcpt_ict'),
						w.tx('report.doc.rcpt_districts'),
						w.tx('report.doc.rcpt_archive')
					]
		},
		signature: {
			authority: '',
			title: district ? w.tx('report.doc.sign_head') : w.tx('report.doc.sign_director'),
			name: ''
		},
		meta: {
			title: `${title1} ${title2}`.trim(),
			subject: areaName,
			generatedAt: new Date(inp.now).toISOString(),
			footer: w.tx('report.doc.footer', {
				at,
				from: w.day(formatDay(f.range.fromDay)),
				to: w.day(formatDay(f.range.toDay))
			})
		}
	};
}

/** The calendar year in Vietnam at `ms`. */
function civilYear(ms: number): number {
	return Number(
		new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(
			new Date(ms)
		)
	);
}
