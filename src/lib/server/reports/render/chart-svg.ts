/**
 * A chart as SVG text for paper: ECharts' server-side SVG renderer (no DOM, no canvas) over the
 * same option the pages draw (chartOption), in a print style: white paper, dark ink, a serif
 * face. The PDF draws the SVG as vectors (svg-to-pdfkit); the DOCX embeds it with a PNG fallback.
 */
import { init, use } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { Resvg } from '@resvg/resvg-js';
import { chartOption, type ChartSpec, type ChartStyle } from '../../../shared/charts';
import { int, pct } from '../../../format';
import type { Locale } from '../../../i18n/dictionary';
import { serifFonts } from './layout';

use([LineChart, BarChart, GridComponent, LegendComponent, MarkLineComponent, SVGRenderer]);

/** The faces written into the SVG, unquoted: ECharts puts them in a double-quoted style attribute. */
export const PRINT_FONT_FAMILY = 'DejaVu Serif, Times New Roman, serif';

/** Ink on white paper: legible in a black-and-white copy too. */
const PRINT_INK = { text: '#1a1a1a', axis: '#404040', split: '#d9d9d9', ref: '#262626' };

/** The print style of a chart drawn `width` units wide (points on the page). */
export function printStyle(spec: ChartSpec, width: number, locale: Locale): ChartStyle {
	return {
		// 10 pt axis text on a page-wide chart (about 450 pt), smaller charts a little less
		scale: Math.max(10, Math.min(14, width / 32)),
		fontFamily: PRINT_FONT_FAMILY,
		fontSize: Math.max(7.5, Math.min(9.5, width / 48)),
		ink: PRINT_INK,
		format:
			spec.unit === 'percent'
				? (v) => pct(v, locale, Number.isInteger(Math.round(v * 1e6) / 1e4) ? 0 : 1)
				: (v) => int(v, locale),
		valueLabels: spec.kind === 'bars' && spec.labels.length * spec.series.length <= 30,
		width,
		background: '#ffffff'
	};
}

/** SVGs already drawn per spec: the DOCX and the PDF of one document draw each chart once. */
const drawn = new WeakMap<ChartSpec, Map<string, string>>();

/** The chart as an SVG document `width` × `height` (user units = points on the page). */
export function chartSvg(
	spec: ChartSpec,
	width: number,
	height: number,
	opts: { locale?: Locale } = {}
): string {
	const locale = opts.locale ?? 'vi';
	const key = `${width}x${height}:${locale}`;
	const known = drawn.get(spec)?.get(key);
	if (known) return known;
	const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
	try {
		chart.setOption(chartOption(spec, printStyle(spec, width, locale)));
		const svg = chart.renderToSVGString();
		if (!drawn.has(spec)) drawn.set(spec, new Map());
		drawn.get(spec)!.set(key, svg);
		return svg;
	} finally {
		chart.dispose();
	}
}

/**
 * The SVG as a PNG `zoom` times its size, for word processors without SVG (the DOCX's fallback
 * image), drawn with the same DejaVu Serif the PDF embeds and no system fonts.
 */
export function svgToPng(svg: string, zoom = 2): Buffer {
	const png = new Resvg(svg, {
		fitTo: { mode: 'zoom', value: zoom },
		background: '#ffffff',
		font: {
			// the charts' text is regular (and bold, for a bold label): two faces load faster than four
			fontFiles: [serifFonts().regular, serifFonts().bold],
			loadSystemFonts: false,
			defaultFontFamily: 'DejaVu Serif',
			serifFamily: 'DejaVu Serif'
		}
	}).render();
	return png.asPng();
}
