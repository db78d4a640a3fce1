/**
 * Pieces every report shares: numbering of tables and charts, number and date formatting in the
 * report's language, and the blocks built from Figures (KPIs by district and month, reporting and
 * sync, datasets, schools behind, alerts, the assessment and next steps).
 */
import { isMessageKey, t, type Locale, type MessageKey } from '../../i18n/dictionary';
import { docText, type DocKey } from '../../i18n/report-doc';
import { int, pct, points } from '../../format';
import { KPI_COLOR } from '../../shared/colors';
import { KPI_IDS, THRESHOLDS, type KpiId } from '../../shared/kpi';
import type { KpiValues } from '../../shared/drill';
import type { Area } from '../../shared/registry';
import type { Block, Run } from './doc';
import type { Figures } from './figures';

/** A report being written: its language and its running table and chart numbers. */
export class Writer {
	private tables = 0;
	private charts = 0;
	readonly blocks: Block[] = [];
	constructor(readonly locale: Locale) {}

	tx(key: DocKey, params?: Record<string, string | number>): string {
		return docText(this.locale, key, params);
	}
	/** an app dictionary string (KPI, level, dataset and rule names) */
	app(key: MessageKey, params?: Record<string, string | number>): string {
		return t(this.locale, key, params);
	}
	pct(v: number | null | undefined, digits = 1): string {
		return pct(v, this.locale, digits);
	}
	int(v: number | null | undefined): string {
		return int(v, this.locale);
	}
	/** "12/340 (3,5 %)" */
	share(n: number, of: number): string {
		return `${this.int(n)}/${this.int(of)} (${this.pct(of > 0 ? n / of : null)})`;
	}
	/** "2026-03-05" → "05/03/2026" (both languages write dates day first in a Vietnamese document) */
	day(iso: string): string {
		const [y, m, d] = iso.split('-');
		return `${d}/${m}/${y}`;
	}
	/** "+1,2 điểm" against a previous value, or "—" */
	change(now: number | null, before: number | null | undefined): string {
		return now === null || before === null || before === undefined
			? '—'
			: points(now - before, this.locale);
	}
	/** a district as an administrative unit, upper case: "QUẬN NINH KIỀU", "HUYỆN CỜ ĐỎ" */
	unit(a: Pick<Area, 'name' | 'kind'> | null): string {
		if (!a) return '';
		const name = a.name.toUpperCase();
		if (this.locale === 'en') return `${name} DISTRICT`;
		return `${a.kind === 'urban' ? 'QUẬN' : 'HUYỆN'} ${name}`;
	}
	kpiName(k: KpiId): string {
		return this.app(`kpi.short.${k}`);
	}
	dataset(id: string): string {
		const k = `dataset.${id}`;
		return isMessageKey(k) ? this.app(k) : id;
	}
	rule(id: string): string {
		const k = `alert.rule.${id}`;
		return isMessageKey(k) ? this.app(k) : id;
	}

	heading(level: 1 | 2 | 3, text: string): void {
		this.blocks.push({ kind: 'heading', level, text });
	}
	para(...runs: Run[]): void {
		this.blocks.push({ kind: 'paragraph', runs, align: 'justify' });
	}
	table(
		captionKey: DocKey,
		columns: { label: string; align?: 'left' | 'center' | 'right'; width?: number }[],
		rows: string[][],
		extra: { total?: string[]; note?: string } = {}
	): number {
		const n = ++this.tables;
		this.blocks.push({
			kind: 'table',
			caption: this.tx(captionKey, { n }),
			columns,
			rows,
			...extra
		});
		return n;
	}
	/** the number the next table will get (a paragraph that names it comes first) */
	get nextTable(): number {
		return this.tables + 1;
	}
	chart(captionKey: DocKey, spec: Extract<Block, { kind: 'chart' }>['spec'], height = 220): void {
		this.blocks.push({
			kind: 'chart',
			caption: this.tx(captionKey, { n: ++this.charts }),
			spec,
			width: 450,
			height
		});
	}
}

const left = (label: string, width = 2) => ({ label, align: 'left' as const, width });
const right = (label: string, width = 1) => ({ label, align: 'right' as const, width });

/** KPI cells of a row, in KPI_IDS order. */
function kpiCells(w: Writer, v: KpiValues): string[] {
	return KPI_IDS.map((k) => w.pct(v[k]));
}

/** Table: schools, and the shares sending data and syncing, by district (II.1 of the plan). */
export function reportingTable(w: Writer, f: Figures): void {
	const share = (n: number, of: number) => w.pct(of > 0 ? n / of : null);
	const col = (label: string) => ({ label, align: 'right' as const, width: 1.1 });
	w.table(
		'report.doc.t_reporting',
		[
			left(w.tx('report.doc.col.district'), 1.4),
			col(w.tx('report.doc.col.schools')),
			col(w.tx('report.doc.col.reporting')),
			col(w.tx('report.doc.col.recent')),
			col(w.kpiName('completeness')),
			col(w.tx('report.doc.col.sync_dep')),
			col(w.tx('report.doc.col.sync_min'))
		],
		f.districts.map((d) => [
			d.name,
			w.int(d.schools),
			share(d.reporting, d.schools),
			share(d.reporting_recent, d.schools),
			w.pct(d.values.completeness),
			share(d.synced_department, d.schools),
			share(d.synced_ministry, d.schools)
		]),
		{
			total: [
				w.tx('report.doc.total'),
				w.int(f.schools.length),
				share(f.reporting, f.schools.length),
				share(f.reporting_recent, f.schools.length),
				w.pct(f.values.completeness),
				share(f.synced_department, f.schools.length),
				share(f.synced_ministry, f.schools.length)
			],
			note: w.tx('report.doc.reporting_note')
		}
	);
}

/** Table: completeness per dataset at the period's end. */
export function datasetsTable(w: Writer, f: Figures): void {
	const sum = f.datasets.reduce((a, d) => ({ r: a.r + d.required, f: a.f + d.filled }), {
		r: 0,
		f: 0
	});
	w.table(
		'report.doc.t_datasets',
		[
			left(w.tx('report.doc.col.dataset')),
			right(w.tx('report.doc.col.schools')),
			right(w.tx('report.doc.col.fields'), 1.4),
			right(w.tx('report.doc.col.filled')),
			right(w.tx('report.doc.col.ratio'))
		],
		f.datasets.map((d) => [
			w.dataset(d.dataset),
			w.int(d.schools),
			w.int(d.required),
			w.int(d.filled),
			w.pct(d.ratio)
		]),
		{
			total: [
				w.tx('report.doc.total'),
				'',
				w.int(sum.r),
				w.int(sum.f),
				w.pct(sum.r > 0 ? sum.f / sum.r : null)
			]
		}
	);
}

/** Table: the four KPIs by district, the area's total last (and the change, when compared). */
export function kpiDistrictTable(w: Writer, f: Figures, at: string): void {
	w.table(
		'report.doc.t_kpis',
		[
			left(w.tx('report.doc.col.district')),
			right(w.tx('report.doc.col.schools')),
			...KPI_IDS.map((k) => right(w.kpiName(k)))
		],
		f.districts.map((d) => [d.name, w.int(d.schools), ...kpiCells(w, d.values)]),
		{
			total: [w.tx('report.doc.total'), w.int(f.schools.length), ...kpiCells(w, f.values)],
			note: `${w.tx('report.doc.kpi_note')} ${w.tx('report.doc.source_note', { at })}`
		}
	);
}

/** Table: the four KPIs by school (a district report lists all its schools). */
export function kpiSchoolTable(w: Writer, f: Figures): void {
	const rows = [...f.school_rows].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
	w.table(
		'report.doc.t_kpis_school',
		[left(w.tx('report.doc.col.school'), 2.6), ...KPI_IDS.map((k) => right(w.kpiName(k)))],
		rows.map((r) => [r.name, ...kpiCells(w, r.values)]),
		{ total: [w.tx('report.doc.total'), ...kpiCells(w, f.values)] }
	);
}

/** Table and chart: the flows month by month. */
export function monthsBlocks(w: Writer, f: Figures): void {
	const flows = KPI_IDS.filter((k) => k !== 'completeness');
	const label = (m: string) => {
		const [y, mo] = m.split('-');
		return w.locale === 'vi' ? `T${Number(mo)}/${y}` : `${mo}/${y}`;
	};
	w.table(
		'report.doc.t_months',
		[left(w.tx('report.doc.col.month'), 1), ...flows.map((k) => right(w.kpiName(k)))],
		f.months.map((m) => [label(m.month), ...flows.map((k) => w.pct(m.values[k]))])
	);
	if (f.months.length >= 2)
		w.chart('report.doc.c_months', {
			kind: 'trend',
			labels: f.months.map((m) => label(m.month)),
			series: flows.map((k) => ({
				name: w.kpiName(k),
				values: f.months.map((m) => m.values[k]),
				color: KPI_COLOR.light[k],
				connectNulls: false
			})),
			unit: 'percent',
			min: 0,
			max: null
		});
}

/** Chart: attendance and uptime by district. */
export function districtChart(w: Writer, f: Figures): void {
	if (f.districts.length < 2) return;
	w.chart(
		'report.doc.c_districts',
		{
			kind: 'bars',
			labels: f.districts.map((d) => d.name),
			series: (['attendance', 'uptime'] as const).map((k) => ({
				name: w.kpiName(k),
				values: f.districts.map((d) => d.values[k]),
				color: KPI_COLOR.light[k]
			})),
			unit: 'percent',
			horizontal: true,
			max: 1
		},
		40 + 26 * f.districts.length
	);
}

/** Paragraph and table: the schools most behind. */
export function behindBlocks(w: Writer, f: Figures, districtName: (id: string) => string): void {
	const th = (k: KpiId) => w.pct(THRESHOLDS[k].watch, 0);
	if (f.behind.length === 0) {
		w.para(w.tx('report.doc.behind_none'));
		return;
	}
	w.para(
		w.tx('report.doc.behind_text', {
			att: th('attendance'),
			up: th('uptime'),
			lib: th('library'),
			comp: th('completeness')
		})
	);
	w.table(
		'report.doc.t_behind',
		[
			left(w.tx('report.doc.col.school'), 2.4),
			left(w.tx('report.doc.col.district'), 1.2),
			right(w.tx('report.doc.col.below'), 1.1),
			...KPI_IDS.map((k) => right(w.kpiName(k), 0.9))
		],
		f.behind.map((b) => [
			b.name,
			districtName(b.district),
			`${b.alerts}/${b.watches}`,
			...kpiCells(w, b.values)
		])
	);
}

/** Paragraph and table: the alert workload. */
export function alertBlocks(w: Writer, f: Figures): void {
	const a = f.alerts;
	w.para(
		w.tx('report.doc.alerts_text', {
			fired: w.int(a.fired),
			acked: w.int(a.acknowledged),
			within: w.int(a.acked_within_target),
			with_target: w.int(a.with_target),
			within_pct: w.pct(a.with_target > 0 ? a.acked_within_target / a.with_target : null),
			escalated: w.int(a.escalated),
			open: w.int(a.open_at_end)
		})
	);
	if (a.by_rule.length === 0) return;
	w.table(
		'report.doc.t_alerts',
		[
			left(w.tx('report.doc.col.rule'), 2.4),
			right(w.tx('report.doc.col.fired')),
			right(w.tx('report.doc.col.within'), 1.3),
			right(w.tx('report.doc.col.escalated'))
		],
		a.by_rule.map((r) => [
			w.rule(r.rule),
			w.int(r.fired),
			r.with_target > 0
				? w.share(r.acked_within_target, r.with_target)
				: w.tx('report.doc.no_target'),
			w.int(r.escalated)
		]),
		{
			total: [
				w.tx('report.doc.total'),
				w.int(a.fired),
				a.with_target > 0 ? w.share(a.acked_within_target, a.with_target) : '—',
				w.int(a.escalated)
			]
		}
	);
}

/** The assessment's findings from the figures (each a sentence), or the one that says all is well. */
export function findings(
	w: Writer,
	f: Figures,
	extra: string[] = []
): { gaps: string[]; todo: string[] } {
	const gaps: string[] = [];
	const todo: string[] = [];
	const silent = f.schools.length - f.reporting_recent;
	if (silent > 0) {
		gaps.push(w.tx('report.doc.gap_reporting', { n: w.int(silent) }));
		todo.push(w.tx('report.doc.todo_reporting'));
	}
	const comp = f.values.completeness;
	if (comp !== null && comp < THRESHOLDS.completeness.watch) {
		const low = [...f.datasets]
			.filter((d) => d.ratio !== null)
			.sort((a, b) => a.ratio! - b.ratio!)[0];
		gaps.push(
			w.tx('report.doc.gap_completeness', {
				value: w.pct(comp),
				watch: w.pct(THRESHOLDS.completeness.watch, 0),
				dataset: low ? w.dataset(low.dataset) : '—',
				ratio: low ? w.pct(low.ratio) : '—'
			})
		);
		todo.push(w.tx('report.doc.todo_completeness'));
	}
	for (const k of ['attendance', 'uptime', 'library'] as const) {
		const under = f.districts.filter(
			(d) => d.values[k] !== null && d.values[k]! < THRESHOLDS[k].watch
		);
		if (under.length === 0) continue;
		gaps.push(
			w.tx('report.doc.gap_kpi', {
				kpi: w.kpiName(k),
				value: w.pct(f.values[k]),
				watch: w.pct(THRESHOLDS[k].watch, 0),
				districts: under.map((d) => `${d.name} (${w.pct(d.values[k])})`).join(', ')
			})
		);
	}
	if (f.alerts.escalated > 0) {
		gaps.push(
			w.tx('report.doc.gap_alerts', {
				n: w.int(f.alerts.escalated),
				pct: w.pct(
					f.alerts.with_target > 0 ? f.alerts.acked_within_target / f.alerts.with_target : null
				)
			})
		);
		todo.push(w.tx('report.doc.todo_alerts'));
	}
	gaps.push(...extra);
	if (gaps.length === 0) gaps.push(w.tx('report.doc.good'));
	todo.push(w.tx('report.doc.todo_keep'));
	return { gaps, todo };
}

/** The assessment and next steps as parts II and III. */
export function closingParts(w: Writer, found: { gaps: string[]; todo: string[] }): void {
	w.heading(1, w.tx('report.doc.part2'));
	w.blocks.push({ kind: 'list', items: found.gaps.map((g) => [g]) });
	w.heading(1, w.tx('report.doc.part3'));
	w.blocks.push({ kind: 'list', items: [...new Set(found.todo)].map((g) => [g]) });
}

/** The paragraph on sending data, completeness and syncs (the plan's II.1). */
export function reportingPara(w: Writer, f: Figures): void {
	const n = f.schools.length;
	w.para(
		w.tx('report.doc.s1_text', {
			reporting: w.int(f.reporting),
			schools: w.int(n),
			reporting_pct: w.pct(n > 0 ? f.reporting / n : null),
			recent: w.int(f.reporting_recent),
			completeness: w.pct(f.values.completeness),
			dep: w.int(f.synced_department),
			min: w.int(f.synced_ministry)
		})
	);
}

/** The paragraph with the period's four KPIs. */
export function kpiPara(w: Writer, f: Figures): void {
	w.para(
		w.tx('report.doc.s4_text', {
			attendance: w.pct(f.values.attendance),
			uptime: w.pct(f.values.uptime),
			library: w.pct(f.values.library),
			completeness: w.pct(f.values.completeness)
		})
	);
}
