/**
 * One report from request to files: its figures (figures.ts), its document (plan83.ts or
 * area.ts) and the same document as DOCX and PDF (render/). Used by the jobs of the /reports page,
 * by `npm run report` and by bench:reports.
 */
import type { Locale } from '../../i18n/dictionary';
import { formatDay } from '../../shared/range';
import type { Registry } from '../../shared/registry';
import type { CH } from '../platform/clickhouse/client';
import type { DayClock } from '../kpi/day-clock';
import type { Store } from '../store/open';
import { areaReport } from './area';
import type { ReportDoc } from './doc';
import { reportFigures, type Figures } from './figures';
import { planReport } from './plan83';
import { renderDocx } from './render/docx';
import { renderPdf } from './render/pdf';
import type { ReportSpec } from './request';

export interface ReportDeps {
	ch: CH;
	clock: DayClock;
	store: Store;
	registry: Registry;
}

export interface ReportFiles {
	doc: ReportDoc;
	figures: Figures;
	pdf: Buffer;
	docx: Buffer;
	pages: number;
	/** the files' name without extension (ASCII, for any file system) */
	name: string;
}

/** The document for a request and its figures. */
export function reportDoc(
	spec: ReportSpec,
	figures: Figures,
	registry: Registry,
	locale: Locale,
	now: number
): ReportDoc {
	return spec.kind === 'plan83'
		? planReport({ spec, figures, registry, locale, now })
		: areaReport({ spec, figures, registry, locale, now });
}

/** "bao-cao-ke-hoach-83-2026", "bao-cao-co-do-2026-10-01-2026-10-31". */
export function fileName(spec: ReportSpec): string {
	const area = spec.school?.school_id ?? spec.district?.area_id ?? null;
	if (spec.kind === 'plan83')
		return ['bao-cao-ke-hoach-83', spec.year, area].filter(Boolean).join('-');
	return `bao-cao-${area}-${formatDay(spec.range.fromDay)}-${formatDay(spec.range.toDay)}`;
}

/** Figures, document, DOCX and PDF; `step` names each stage as it starts (a job's progress). */
export async function makeReport(
	deps: ReportDeps,
	spec: ReportSpec,
	locale: Locale,
	now: number,
	step: (name: string) => void = () => {}
): Promise<ReportFiles> {
	const figures = await reportFigures({
		ch: deps.ch,
		clock: deps.clock,
		store: deps.store,
		registry: deps.registry,
		now,
		range: spec.range,
		schools: spec.schools,
		step
	});
	step('document');
	const doc = reportDoc(spec, figures, deps.registry, locale, now);
	step('docx');
	const docx = await renderDocx(doc);
	step('pdf');
	const pdf = await renderPdf(doc);
	return { doc, figures, pdf: pdf.data, docx, pages: pdf.pages, name: fileName(spec) };
}
