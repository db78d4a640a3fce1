/**
 * The Plan 83 view's tables as CSV: ?table=years|districts|targets|missing with the page's own
 * parameters (year, district, item, lang), so the file holds the numbers on the screen. The first
 * lines say which table, year, district and item produced it, and when.
 */
import { error } from '@sveltejs/kit';
import { parseLocale, t, type Locale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import type { Plan83Query } from '$lib/server/plan83/view';
import { requestFilter } from '$lib/server/auth/request-scope';
import { plan83Request } from '$lib/server/pages/plan83';
import planJson from '$lib/server/plan83/plan-83.json' with { type: 'json' };
import { csvResponse, type Cell } from '$lib/server/export/csv';
import { PLAN83_TABLES, type Plan83Table, type Plan83View } from '$lib/shared/plan83';
import type { RequestHandler } from './$types';

type Key = Parameters<typeof t>[1];
const r4 = (v: number | null | undefined) =>
	v === null || v === undefined ? null : Math.round(v * 10000) / 10000;

function table(
	v: Plan83View,
	which: Plan83Table,
	q: Plan83Query,
	locale: Locale
): { header: string[]; rows: Cell[][] } {
	const tr = (k: Key, p?: Record<string, string | number>) => t(locale, k, p);
	const it = (i: 'multimedia' | 'smart' | 'elibrary') => tr(`plan83.item.short.${i}`);
	const col = (
		i: 'multimedia' | 'smart' | 'elibrary',
		what: 'planned' | 'installed',
		unit: 'schools' | 'rooms' | 'list'
	) => `${it(i)}: ${tr(`plan83.col.${what}`)} (${tr(`plan83.col.${unit}`)})`;
	/** an item's four roll-out columns: schools and rooms, planned and installed */
	const rollout = (i: 'multimedia' | 'smart') => [
		col(i, 'planned', 'schools'),
		col(i, 'installed', 'schools'),
		col(i, 'planned', 'rooms'),
		col(i, 'installed', 'rooms')
	];
	const nameOf = (id: string | null) =>
		id === null ? '' : (v.districts.find((d) => d.id === id)?.name ?? id);
	const kindOf = (k: string) =>
		k === 'urban' ? tr('plan83.urban') : k === 'rural' ? tr('plan83.rural') : '';
	switch (which) {
		case 'years':
			return {
				header: [
					tr('plan83.col.year'),
					tr('plan83.col.districts'),
					...rollout('multimedia'),
					...rollout('smart'),
					col('elibrary', 'planned', 'list'),
					col('elibrary', 'installed', 'list'),
					tr('plan83.col.all_elibrary')
				],
				rows: v.cumulative.map((y) => [
					y.year,
					y.districts.map(nameOf).join(', '),
					y.multimedia.planned_schools,
					y.multimedia.installed_schools,
					y.multimedia.planned_rooms,
					y.multimedia.installed_rooms,
					y.smart.planned_schools,
					y.smart.installed_schools,
					y.smart.planned_rooms,
					y.smart.installed_rooms,
					y.elibrary.planned_schools,
					y.elibrary.installed_schools,
					y.elibrary_all
				])
			};
		case 'districts': {
			const rows: Cell[][] = [];
			for (const g of v.groups) {
				// a single district's total would set it against the plan of its whole group: left out
				for (const r of q.district === null ? [...g.rows, g.total] : g.rows) {
					const total = r === g.total;
					rows.push([
						g.year,
						total ? tr('plan83.group.total', { n: g.rows.length }) : nameOf(r.district),
						total ? '' : r.district,
						total ? '' : kindOf(v.districts.find((d) => d.id === r.district)?.kind ?? ''),
						r.schools,
						r.eligible,
						r.classrooms,
						total ? g.plan.multimedia.schools : null,
						r.multimedia.schools,
						total ? g.plan.multimedia.rooms : null,
						r.multimedia.rooms,
						r4(r.multimedia_share),
						total ? g.plan.smart.schools : null,
						r.smart.schools,
						total ? g.plan.smart.rooms : null,
						r.smart.rooms,
						r.elibrary.planned,
						r.elibrary.installed,
						r.elibrary.all_schools,
						r.missing.multimedia,
						r.missing.smart,
						r.missing.elibrary
					]);
				}
			}
			return {
				header: [
					tr('plan83.col.year'),
					tr('plan83.col.district'),
					'district_id',
					tr('plan83.col.kind'),
					tr('plan83.col.school_count'),
					tr('plan83.col.eligible'),
					tr('plan83.col.classrooms'),
					...rollout('multimedia'),
					tr('plan83.col.share'),
					...rollout('smart'),
					col('elibrary', 'planned', 'list'),
					col('elibrary', 'installed', 'list'),
					tr('plan83.col.all_elibrary'),
					`${tr('plan83.col.missing')}: ${it('multimedia')}`,
					`${tr('plan83.col.missing')}: ${it('smart')}`,
					`${tr('plan83.col.missing')}: ${it('elibrary')}`
				],
				rows
			};
		}
		case 'targets': {
			const rows: Cell[][] = [];
			const ids = q.district === null ? v.districts.map((d) => d.id) : [q.district];
			for (const tg of v.targets) {
				const label = tr(`plan.target.${tg.id}` as Key);
				rows.push([
					tg.id,
					label,
					tg.by,
					tg.value,
					tr('plan83.targets.city'),
					'',
					r4(tg.city.current),
					tg.city.numerator,
					tg.city.denominator,
					tr('plan83.yes')
				]);
				for (const id of ids) {
					const x = tg.districts[id];
					if (x)
						rows.push([
							tg.id,
							label,
							tg.by,
							tg.value,
							nameOf(id),
							id,
							x.applies ? r4(x.current) : null,
							x.numerator,
							x.denominator,
							x.applies ? tr('plan83.yes') : tr('plan83.no')
						]);
				}
			}
			return {
				header: [
					'target_id',
					tr('plan83.col.target'),
					tr('plan83.col.by'),
					tr('plan83.col.value'),
					tr('plan83.col.district'),
					'district_id',
					tr('plan83.col.current'),
					tr('plan83.col.numerator'),
					tr('plan83.col.denominator'),
					tr('plan83.col.applies')
				],
				rows
			};
		}
		case 'missing':
			return {
				header: [
					tr('plan83.col.item'),
					tr('plan83.col.school'),
					'school_id',
					tr('plan83.col.district'),
					'district_id',
					tr('plan83.col.ward'),
					tr('plan83.col.levels'),
					tr('plan83.col.due'),
					tr('plan83.col.status'),
					tr('plan83.col.on_list')
				],
				rows: v.missing[q.item].map((m) => [
					tr(`plan83.item.${m.item}`),
					m.name,
					m.school_id ?? '',
					m.district_name,
					m.district ?? '',
					m.ward,
					m.levels.map((l) => tr(`level.${l}`)).join(' + '),
					m.due,
					m.school_id === null
						? tr('plan83.missing.not_in_registry')
						: m.installed_year !== null
							? tr('plan83.missing.late', { year: m.installed_year })
							: tr('plan83.missing.not_installed'),
					m.on_plan_list ? tr('plan83.yes') : tr('plan83.no')
				])
			};
	}
}

export const GET: RequestHandler = async ({ url, locals }) => {
	const locale = parseLocale(url.searchParams.get('lang'));
	const tr = (k: Key, p?: Record<string, string | number>) => t(locale, k, p);
	const rt = await appRuntime();
	// the same view as the page, over the account's scope
	const { query, view: v } = await plan83Request(
		url,
		locale,
		requestFilter(locals, rt.registry.registry)
	);
	const q = { ok: true as const, value: query };
	const which = url.searchParams.get('table') ?? 'years';
	if (!(PLAN83_TABLES as readonly string[]).includes(which))
		error(
			400,
			tr('view.error.param', { name: 'table', value: which, allowed: PLAN83_TABLES.join(', ') })
		);
	const tbl = which as Plan83Table;
	const now = Date.now();
	const districtName = v.district ? `${v.district.name} (${v.district.id})` : tr('plan83.all');
	const about: [string, string][] = [
		[tr('export.about.view'), tr('plan83.title')],
		[tr('plan83.export.about.table'), tr(`plan83.export.table.${tbl}`)],
		[tr('plan83.export.about.year'), String(v.year)],
		[tr('plan83.export.about.district'), districtName]
	];
	if (tbl === 'missing')
		about.push([tr('plan83.export.about.item'), tr(`plan83.item.${q.value.item}`)]);
	about.push([
		tr('plan83.export.about.source'),
		planJson.source.replace(/\s*\(seed document[^)]*\)/, '')
	]);
	about.push([tr('plan83.export.about.registry'), tr('plan83.export.registry')]);
	about.push([tr('export.about.exported'), new Date(now).toISOString()]);
	const { header, rows } = table(v, tbl, q.value, locale);
	const file = [
		tr('plan83.crumb'),
		tr(`plan83.export.table.${tbl}`),
		tbl === 'missing' ? tr(`plan83.item.short.${q.value.item}`) : null,
		v.year,
		v.district?.name ?? tr('plan83.all')
	]
		.filter((x) => x !== null)
		.join(' ');
	return csvResponse(file, { about, header, rows });
};
