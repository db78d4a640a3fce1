/**
 * A trend chart drawn on a 2D canvas: the pages' line charts without a chart library (ECharts
 * with its renderer was 165 kB gzip, a third of a page with a map). It draws what
 * `chartOption` ($lib/shared/charts) asks ECharts for in a trend, the way ECharts lays it out
 * (the same grid margins, legend keys, nice value ticks, category bands, dotted target line with
 * its label at the end), so a page's chart and the reports' print chart (ECharts, on the server)
 * read alike.
 */
import type { ChartSeries, ChartStyle } from '$lib/shared/charts';

export interface TrendSpec {
	labels: string[];
	series: ChartSeries[];
	target?: { value: number; label: string } | null;
	unit: 'percent' | 'count';
	min?: number | null;
	max?: number | null;
}

/** a round step near `raw`: 1, 2, 3 or 5 × a power of ten, rounded as ECharts rounds it */
function niceStep(raw: number) {
	if (!(raw > 0)) return 1;
	const p = 10 ** Math.floor(Math.log10(raw));
	const f = raw / p;
	return (f < 1.5 ? 1 : f < 2.5 ? 2 : f < 4 ? 3 : f < 7 ? 5 : 10) * p;
}

/**
 * The value axis: its ends and ticks, about five intervals, as ECharts' value axis picks them:
 * fixed ends stay, free ends round out to a tick; counts tick on whole numbers, ratios with a
 * fixed top at least 1 % apart; a target line stays in view.
 */
export function valueAxis(spec: TrendSpec): { lo: number; hi: number; ticks: number[] } {
	const nums = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
	const target = spec.target ?? null;
	const fixedMax = spec.max ?? null;
	let fixedMin = spec.min ?? null;
	// as chartOption: keep the target in view, a whole percent below the lowest point
	if (fixedMin === null && target && nums.length)
		fixedMin = Math.max(0, Math.floor(Math.min(...nums, target.value - 0.01) * 100) / 100);
	const all = target ? [...nums, target.value] : nums;
	let lo = fixedMin ?? (all.length ? Math.min(...all) : 0);
	let hi = fixedMax ?? (all.length ? Math.max(...all) : 1);
	if (hi - lo < 1e-9) {
		if (fixedMax === null) hi = lo + (spec.unit === 'count' ? 1 : Math.abs(lo) * 0.1 || 1);
		else lo = Math.max(0, hi - (spec.unit === 'count' ? 1 : Math.abs(hi) * 0.1 || 1));
	}
	const minInterval = spec.unit === 'count' ? 1 : fixedMax === 1 ? 0.01 : 0;
	const step = Math.max(niceStep((hi - lo) / 5), minInterval);
	if (fixedMin === null) lo = Math.floor(lo / step + 1e-9) * step;
	if (fixedMax === null) hi = Math.ceil(hi / step - 1e-9) * step;
	const ticks: number[] = [];
	for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-6; v += step)
		ticks.push(Math.round(v / step) * step);
	return { lo, hi, ticks };
}

/** The chart's drawing: on `canvas` at `ratio` device pixels per CSS pixel, `width`×`height` CSS px. */
export function drawTrend(
	canvas: HTMLCanvasElement,
	size: { width: number; height: number; ratio: number },
	spec: TrendSpec,
	style: ChartStyle
) {
	const { width, height, ratio } = size;
	canvas.width = Math.max(1, Math.round(width * ratio));
	canvas.height = Math.max(1, Math.round(height * ratio));
	const g = canvas.getContext('2d')!;
	g.setTransform(ratio, 0, 0, ratio, 0, 0);
	g.clearRect(0, 0, width, height);
	if (style.background) {
		g.fillStyle = style.background;
		g.fillRect(0, 0, width, height);
	}
	const { scale, ink, format } = style;
	const fontSize = style.touch ? Math.max(12, style.fontSize) : style.fontSize;
	g.font = `${fontSize}px ${style.fontFamily}`;
	g.textBaseline = 'middle';
	const line = scale / 16;

	// the legend: key (a line with a hollow point) and name, right-aligned rows at the top; a
	// narrow chart's rows start at the left and wrap rather than run over the plot
	const keyW = scale;
	const keyH = 0.5 * scale;
	const items = spec.series.map((s) => ({ s, w: keyW + 5 + g.measureText(s.name).width }));
	const rows: (typeof items)[] = [[]];
	let rowW = 0;
	for (const it of items) {
		if (rows.at(-1)!.length && rowW + 10 + it.w > width) {
			rows.push([]);
			rowW = 0;
		}
		rowW += (rows.at(-1)!.length ? 10 : 0) + it.w;
		rows.at(-1)!.push(it);
	}
	// ECharts' legend has 5 px of padding around it
	const pad = 5;
	const rowH = Math.max(keyH, fontSize) + 5;
	rows.forEach((row, r) => {
		const total = row.reduce((n, it, i) => n + it.w + (i ? 10 : 0), 0);
		let x = style.narrow ? pad : width - pad - total;
		const y = pad + r * rowH + Math.max(keyH, fontSize) / 2;
		for (const { s, w } of row) {
			const lw = (s.width ?? 2) * line;
			strokeLine(g, s, lw, [
				[x, y],
				[x + keyW, y]
			]);
			point(g, s.color, x + keyW / 2, y, keyH * 0.35, lw);
			g.fillStyle = ink.text;
			g.textAlign = 'left';
			g.fillText(s.name, x + keyW + 5, y);
			x += w + 10;
		}
	});

	const top = Math.max(1.8 * scale, pad + rows.length * rowH + 0.6 * scale);
	const plot = {
		left: 3.2 * scale,
		right: width - 0.8 * scale,
		top,
		bottom: height - 1.6 * scale
	};
	if (plot.right <= plot.left || plot.bottom <= plot.top) return;
	const axis = valueAxis(spec);
	const yOf = (v: number) =>
		plot.bottom - ((v - axis.lo) / (axis.hi - axis.lo || 1)) * (plot.bottom - plot.top);
	const n = Math.max(1, spec.labels.length);
	const band = (plot.right - plot.left) / n;
	const xOf = (i: number) => plot.left + (i + 0.5) * band;

	// grid lines and value labels
	g.lineWidth = 1;
	g.textAlign = 'right';
	for (const v of axis.ticks) {
		const y = Math.round(yOf(v)) + 0.5;
		if (v !== axis.lo) {
			g.strokeStyle = ink.split;
			g.beginPath();
			g.moveTo(plot.left, y);
			g.lineTo(plot.right, y);
			g.stroke();
		}
		g.fillStyle = ink.text;
		g.fillText(format(v), plot.left - 8, y);
	}
	// the category axis: its line, and as many labels as fit without overlapping
	g.strokeStyle = ink.axis;
	g.beginPath();
	g.moveTo(plot.left, Math.round(plot.bottom) + 0.5);
	g.lineTo(plot.right, Math.round(plot.bottom) + 0.5);
	g.stroke();
	const labelW = Math.max(0, ...spec.labels.map((l) => g.measureText(l).width));
	const every = Math.max(1, Math.ceil((labelW + fontSize * 0.6) / band));
	g.textAlign = 'center';
	g.textBaseline = 'top';
	spec.labels.forEach((l, i) => {
		if (i % every === 0) g.fillText(l, xOf(i), plot.bottom + 6);
	});

	// the lines: gaps stay gaps unless the series connects them; a series of a point or three shows its points
	spec.series.forEach((s) => {
		const segments: [number, number][][] = [[]];
		s.values.forEach((v, i) => {
			if (v === null) {
				if (!s.connectNulls && segments.at(-1)!.length) segments.push([]);
				return;
			}
			segments.at(-1)!.push([xOf(i), yOf(v)]);
		});
		const w = (s.width ?? 2) * line;
		for (const seg of segments) if (seg.length > 1) strokeLine(g, s, w, seg);
		const pts = segments.flat();
		if (pts.length <= 3) for (const [x, y] of pts) point(g, s.color, x, y, 0.15 * scale, w);
	});

	// the target: a dotted line across, its label at the right end above it
	const target = spec.target ?? null;
	if (target && target.value >= axis.lo && target.value <= axis.hi) {
		const y = yOf(target.value);
		g.save();
		g.strokeStyle = ink.ref;
		g.lineWidth = line;
		// ECharts' 'dotted': dots as long as the line is wide
		g.setLineDash([line, line]);
		g.beginPath();
		g.moveTo(plot.left, y);
		g.lineTo(plot.right, y);
		g.stroke();
		g.restore();
		g.fillStyle = ink.text;
		g.textAlign = 'right';
		g.textBaseline = 'bottom';
		g.fillText(target.label, plot.right - 5, y - 4);
	}
}

function strokeLine(g: CanvasRenderingContext2D, s: ChartSeries, width: number, pts: number[][]) {
	g.save();
	g.strokeStyle = s.color;
	g.lineWidth = width;
	g.lineJoin = 'round';
	// ECharts' 'dashed'
	if (s.dashed) g.setLineDash([width * 4, width * 2]);
	g.beginPath();
	pts.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
	g.stroke();
	g.restore();
}

/** ECharts' default point: a hollow circle in the series' colour */
function point(
	g: CanvasRenderingContext2D,
	color: string,
	x: number,
	y: number,
	r: number,
	w: number
) {
	g.beginPath();
	g.arc(x, y, r, 0, 2 * Math.PI);
	g.fillStyle = '#ffffff';
	g.fill();
	g.strokeStyle = color;
	g.lineWidth = Math.max(1, w * 0.75);
	g.stroke();
}
