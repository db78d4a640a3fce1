import { describe, expect, it } from 'vitest';
import { chartOption, type ChartSpec, type ChartStyle } from './charts';

const style: ChartStyle = {
	scale: 16,
	fontFamily: 'Test Sans',
	fontSize: 10,
	ink: { text: '#111111', axis: '#222222', split: '#333333', ref: '#444444' },
	format: (v) => `${Math.round(v * 100)}%`
};
const series = [
	{ name: 'Cờ Đỏ', values: [0.9, null, 0.95], color: '#0000ff', width: 3 },
	{ name: 'Toàn thành phố', values: [0.91, 0.92, 0.93], color: '#888888', dashed: true }
];
const trend: ChartSpec = {
	kind: 'trend',
	labels: ['01/12', '02/12', '03/12'],
	series,
	target: { value: 0.95, label: 'Mục tiêu' },
	unit: 'percent',
	max: 1
};

// the option is plain data: read it as such
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const opt = (spec: ChartSpec, s: Partial<ChartStyle> = {}) =>
	chartOption(spec, { ...style, ...s }) as Obj;

describe('chartOption: trend', () => {
	it('draws one line per series, in its colour, dashed where asked, with the legend in order', () => {
		const o = opt(trend);
		expect(o.series.map((s: Obj) => [s.type, s.name, s.lineStyle.color, s.lineStyle.type])).toEqual(
			[
				['line', 'Cờ Đỏ', '#0000ff', 'solid'],
				['line', 'Toàn thành phố', '#888888', 'dashed']
			]
		);
		expect(o.legend.data).toEqual(['Cờ Đỏ', 'Toàn thành phố']);
		expect(o.xAxis.data).toEqual(['01/12', '02/12', '03/12']);
		// line widths scale with the size unit: 3 at 16 px is 3 px, at 32 px 6 px
		expect(o.series[0].lineStyle.width).toBe(3);
		expect(opt(trend, { scale: 32 }).series[0].lineStyle.width).toBe(6);
	});

	it('puts the target line on the first series only, and keeps it in view', () => {
		const o = opt(trend);
		expect(o.series[0].markLine.data).toEqual([{ yAxis: 0.95 }]);
		expect(o.series[0].markLine.label.formatter).toBe('Mục tiêu');
		expect(o.series[1].markLine).toBeUndefined();
		// the axis starts at or under the target even when every value is above it
		expect(o.yAxis.min({ min: 0.97 })).toBe(0.94);
		expect(opt({ ...trend, target: null }).series[0].markLine).toBeUndefined();
	});

	it('ticks: whole numbers for counts, at least 1 % apart on a 0..1 ratio axis', () => {
		expect(opt({ ...trend, unit: 'count', max: null }).yAxis.minInterval).toBe(1);
		expect(opt(trend).yAxis.minInterval).toBe(0.01);
		expect(opt({ ...trend, max: null }).yAxis.minInterval).toBeUndefined();
		expect(opt(trend).yAxis.axisLabel.formatter(0.5)).toBe('50%');
	});

	it('keeps text at 12 px or more on touch screens, and scrolls a narrow legend', () => {
		expect(opt(trend).legend.textStyle.fontSize).toBe(10);
		expect(opt(trend, { touch: true }).legend.textStyle.fontSize).toBe(12);
		expect(opt(trend, { touch: true, fontSize: 14 }).xAxis.axisLabel.fontSize).toBe(14);
		expect(opt(trend).legend.type).toBe('plain');
		expect(opt(trend, { narrow: true }).legend).toMatchObject({ type: 'scroll', left: 0 });
	});

	it('shows the points of a series of three points or fewer', () => {
		const o = opt({
			...trend,
			series: [{ ...series[0], values: [null, null, 0.9, null, 0.8] }, series[1]]
		});
		expect(o.series[0].showSymbol).toBe(true);
		expect(
			opt({
				...trend,
				labels: ['a', 'b', 'c', 'd'],
				series: [{ ...series[1], values: [1, 2, 3, 4] }]
			}).series[0].showSymbol
		).toBe(false);
	});
});

describe('chartOption: bars', () => {
	const bars: ChartSpec = {
		kind: 'bars',
		labels: ['Ninh Kiều', 'Cờ Đỏ', 'Ô Môn'],
		series: [
			{ name: 'Đã lắp đặt', values: [10, 20, null], color: '#0000ff' },
			{ name: 'Kế hoạch', values: [12, 25, 30], color: '#888888', dashed: true }
		],
		target: { value: 15, label: 'Mức tối thiểu' },
		unit: 'count'
	};

	it('draws grouped bars from zero, the labels on the category axis', () => {
		const o = opt(bars);
		expect(o.series.map((s: Obj) => s.type)).toEqual(['bar', 'bar']);
		expect(o.xAxis).toMatchObject({ type: 'category', data: bars.labels, inverse: false });
		expect(o.yAxis).toMatchObject({ type: 'value', min: 0, minInterval: 1 });
		// every label shown: a bar without its name says nothing
		expect(o.xAxis.axisLabel.interval).toBe(0);
		expect(o.series[0].markLine.data).toEqual([{ yAxis: 15 }]);
		expect(o.series[1].markLine).toBeUndefined();
		// a dashed series is an outline (reads in black and white)
		expect(o.series[1].itemStyle).toMatchObject({ borderColor: '#888888', borderType: 'dashed' });
		expect(o.series[0].itemStyle.color).toBe('#0000ff');
	});

	it('horizontal: the labels on the left, first at the top, the target along x', () => {
		const o = opt({ ...bars, horizontal: true });
		expect(o.yAxis).toMatchObject({ type: 'category', data: bars.labels, inverse: true });
		expect(o.xAxis).toMatchObject({ type: 'value', min: 0 });
		expect(o.series[0].markLine.data).toEqual([{ xAxis: 15 }]);
	});

	it('prints values on the bars when asked, blank for a missing one', () => {
		expect(opt(bars).series[0].label.show).toBe(false);
		const label = opt(bars, { valueLabels: true, format: (v) => `n=${v}` }).series[0].label;
		expect(label.show).toBe(true);
		expect(label.formatter({ value: 20 })).toBe('n=20');
		expect(label.formatter({ value: null })).toBe('');
	});

	it('wraps vertical labels to their share of a known width', () => {
		expect(opt(bars, { width: 300 }).xAxis.axisLabel).toMatchObject({
			width: 90,
			overflow: 'break'
		});
		expect(opt(bars).xAxis.axisLabel.width).toBeUndefined();
	});
});
