/**
 * Charts as data: what a chart shows, independent of where it is drawn. The pages' TrendChart
 * and the reports' server-side renderer build their ECharts options from the same spec
 * (chartOption), so a chart in a filed report is the chart the analyst saw.
 */

export interface ChartSeries {
	name: string;
	values: (number | null)[];
	color: string;
	width?: number;
	dashed?: boolean;
	/** draw across missing points (a sampled state), instead of leaving gaps */
	connectNulls?: boolean;
}

/** How values read: a ratio 0..1 shown as a percentage, or a count. */
export type ChartUnit = 'percent' | 'count';

export type ChartSpec =
	| {
			kind: 'trend';
			labels: string[];
			series: ChartSeries[];
			target?: { value: number; label: string } | null;
			unit: ChartUnit;
			min?: number | null;
			max?: number | null;
	  }
	| {
			/** grouped bars per label (e.g. installed against planned, per district) */
			kind: 'bars';
			labels: string[];
			series: ChartSeries[];
			target?: { value: number; label: string } | null;
			unit: ChartUnit;
			/** bars along the y axis, labels on the left (long names) */
			horizontal?: boolean;
			max?: number | null;
	  };

/** Axis text, axis line, grid lines and the reference line. */
export interface ChartInk {
	text: string;
	axis: string;
	split: string;
	ref: string;
}

/** Where a chart is drawn: a dark wall in CSS pixels, or white paper in points. */
export interface ChartStyle {
	/** the size unit (the page's rem in px, or a print size in pt): margins, legend keys, line widths */
	scale: number;
	fontFamily: string;
	/** axis and legend text */
	fontSize: number;
	/** a touch screen: text never under 12 px */
	touch?: boolean;
	/** a narrow chart: the legend scrolls instead of running over the plot */
	narrow?: boolean;
	ink: ChartInk;
	/** an axis value (and a bar's value label) as text */
	format: (v: number) => string;
	/** print each bar's value at its end (paper cannot be hovered) */
	valueLabels?: boolean;
	/** the chart's width when known: a vertical bar chart wraps its labels to their share of it */
	width?: number;
	/** behind the chart; transparent when absent */
	background?: string;
}

/** ECharts' option object: plain data and formatter functions, so this module needs no ECharts. */
export type ChartOption = Record<string, unknown>;

/**
 * The ECharts option of a chart spec in a style: the pages' TrendChart (canvas) and the reports'
 * server-side SVG draw from this, so they cannot drift apart. Pure: no ECharts import.
 */
export function chartOption(spec: ChartSpec, style: ChartStyle): ChartOption {
	const { scale, ink, format } = style;
	// axis and legend text: never under 12 px on a phone or tablet
	const fontSize = style.touch ? Math.max(12, style.fontSize) : style.fontSize;
	const font = { fontFamily: style.fontFamily, fontSize, color: ink.text };
	const target = spec.target ?? null;
	const max = spec.max ?? null;
	// whole-number ticks for counts, and ticks at least 1 % apart on ratio axes
	const minInterval = spec.unit === 'count' ? 1 : max === 1 ? 0.01 : undefined;
	const narrow = style.narrow ?? false;
	const legend = {
		// a narrow chart's legend scrolls (long school names) rather than covering the lines
		type: narrow ? 'scroll' : 'plain',
		top: 0,
		right: 0,
		...(narrow ? { left: 0 } : {}),
		textStyle: font,
		itemWidth: scale,
		itemHeight: 0.5 * scale,
		data: spec.series.map((s) => s.name)
	};
	const markLine = (axis: 'xAxis' | 'yAxis') =>
		target
			? {
					symbol: 'none',
					silent: true,
					label: { ...font, formatter: target.label, position: 'insideEndTop' },
					lineStyle: { color: ink.ref, type: 'dotted', width: scale / 16 },
					data: [{ [axis]: target.value }]
				}
			: undefined;
	const base = {
		animation: false,
		...(style.background ? { backgroundColor: style.background } : {}),
		legend
	};

	if (spec.kind === 'trend') {
		const min = spec.min ?? null;
		return {
			...base,
			grid: { left: 3.2 * scale, right: 0.8 * scale, top: 1.8 * scale, bottom: 1.6 * scale },
			xAxis: {
				type: 'category',
				data: spec.labels,
				axisLabel: { ...font, hideOverlap: true },
				axisLine: { lineStyle: { color: ink.axis } },
				axisTick: { show: false }
			},
			yAxis: {
				type: 'value',
				// keep the target line in view
				min:
					min ??
					(target
						? (v: { min: number }) =>
								Math.max(0, Math.floor(Math.min(v.min, target.value - 0.01) * 100) / 100)
						: undefined),
				max: max ?? undefined,
				minInterval,
				scale: min === null,
				axisLabel: { ...font, formatter: (v: number) => format(v) },
				splitLine: { lineStyle: { color: ink.split } }
			},
			series: spec.series.map((s, i) => ({
				type: 'line',
				name: s.name,
				data: s.values,
				connectNulls: s.connectNulls ?? false,
				// a series of a point or three (a new system) shows its points: a lone point has no line
				showSymbol: s.values.filter((v) => v !== null).length <= 3,
				symbolSize: 0.3 * scale,
				lineStyle: {
					color: s.color,
					width: (s.width ?? 2) * (scale / 16),
					type: s.dashed ? 'dashed' : 'solid'
				},
				itemStyle: { color: s.color },
				markLine: i === 0 ? markLine('yAxis') : undefined
			}))
		};
	}

	const horizontal = spec.horizontal ?? false;
	const category = {
		type: 'category',
		data: spec.labels,
		// every label: a bar without its name says nothing
		axisLabel: {
			...font,
			interval: 0,
			...(!horizontal && style.width
				? { width: (0.9 * style.width) / Math.max(1, spec.labels.length), overflow: 'break' }
				: {})
		},
		axisLine: { lineStyle: { color: ink.axis } },
		axisTick: { show: false },
		// the first label at the top, as in the table beside it
		inverse: horizontal
	};
	const value = {
		type: 'value',
		min: 0,
		max: max ?? undefined,
		minInterval,
		axisLabel: { ...font, formatter: (v: number) => format(v) },
		splitLine: { lineStyle: { color: ink.split } }
	};
	return {
		...base,
		grid: horizontal
			? { left: 0.8 * scale, right: 2.4 * scale, top: 1.8 * scale, bottom: 0.4 * scale }
			: { left: 3.2 * scale, right: 0.8 * scale, top: 1.8 * scale, bottom: 0.4 * scale },
		xAxis: horizontal ? value : category,
		yAxis: horizontal ? category : value,
		series: spec.series.map((s, i) => ({
			type: 'bar',
			name: s.name,
			data: s.values,
			barGap: '10%',
			barMaxWidth: 2 * scale,
			itemStyle: {
				color: s.color,
				// a dashed series (a plan, a baseline) is an outline: it reads in black and white too
				...(s.dashed
					? {
							color: 'transparent',
							borderColor: s.color,
							borderWidth: scale / 12,
							borderType: 'dashed'
						}
					: {})
			},
			label: style.valueLabels
				? {
						show: true,
						position: horizontal ? 'right' : 'top',
						...font,
						fontSize: 0.85 * fontSize,
						formatter: (p: { value: number | null }) => (p.value === null ? '' : format(p.value))
					}
				: { show: false },
			markLine: i === 0 ? markLine(horizontal ? 'xAxis' : 'yAxis') : undefined
		}))
	};
}
