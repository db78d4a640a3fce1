import { describe, expect, it } from 'vitest';
import type { ChartSpec } from '../../../shared/charts';
import { chartSvg, svgToPng } from './chart-svg';
import { SAMPLE_DISTRICTS } from './sample';

const trend: ChartSpec = {
	kind: 'trend',
	labels: ['28/11', '29/11', '30/11', '01/12'],
	unit: 'percent',
	target: { value: 0.95, label: 'Mục tiêu 95 %' },
	series: [
		{ name: 'Thốt Nốt', values: [0.93, 0.94, 0.96, 0.97], color: '#1f5fa8' },
		{ name: 'Toàn thành phố', values: [0.94, 0.95, 0.95, 0.96], color: '#6b6b6b', dashed: true }
	]
};
const bars: ChartSpec = {
	kind: 'bars',
	horizontal: true,
	labels: SAMPLE_DISTRICTS,
	unit: 'count',
	target: null,
	series: [
		{ name: 'Đã lắp đặt', values: SAMPLE_DISTRICTS.map((_, i) => 1000 + i), color: '#1f5fa8' }
	]
};

/** the texts of the SVG's <text> elements */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('chartSvg', () => {
	it('draws a trend with its series names, day labels, percent ticks and target', () => {
		const svg = chartSvg(trend, 440, 210);
		expect(svg).toMatch(/^<svg[^>]* width="440" height="210"/);
		const t = texts(svg);
		expect(t).toEqual(expect.arrayContaining(['Thốt Nốt', 'Toàn thành phố', 'Mục tiêu 95 %']));
		expect(t).toEqual(expect.arrayContaining(['28/11', '29/11', '30/11', '01/12']));
		// Vietnamese percent ticks ("95%"), no raw ratios
		expect(t.some((x) => /^9\d\s?%$/.test(x))).toBe(true);
		expect(t).not.toContain('0.95');
		// print: white paper behind, and no colour of the dark wall
		expect(svg).toContain('fill="#ffffff"');
		expect(svg).not.toContain('#9fb2cf');
	});

	it('draws bars with every district name and its values in Vietnamese grouping', () => {
		const t = texts(chartSvg(bars, 440, 260));
		for (const d of SAMPLE_DISTRICTS) expect(t).toContain(d);
		expect(t).toContain('Đã lắp đặt');
		// value labels on paper: 1.008 (vi grouping), not 1008 or 1,008
		expect(t).toContain('1.008');
	});

	it('writes well-formed attributes (the font names must not close the style attribute)', () => {
		const svg = chartSvg(trend, 300, 200);
		for (const m of svg.matchAll(/style="([^"]*)"/g))
			expect(m[1]).toMatch(/font-family:[^;]*Serif/);
		expect(svg).not.toMatch(/style="[^"]*"[A-Za-z]/);
	});

	it('rasterises to a PNG twice the size for the DOCX fallback', () => {
		const png = svgToPng(chartSvg(trend, 300, 200), 2);
		expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
		// width and height from the IHDR chunk
		expect(png.readUInt32BE(16)).toBe(600);
		expect(png.readUInt32BE(20)).toBe(400);
	});
});
