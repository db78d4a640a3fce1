/**
 * Colours of the wall that CSS cannot reach: the map (deck.gl layers), the KPI
 * series of charts and sparklines. Status colours (each paired with a shape on the map) and the
 * choropleth ramp are the same in both themes; what sits around them changes. The CSS side of the
 * two themes is src/lib/styles/theme.css.
 */
import { THRESHOLDS, type KpiId, type Status } from './kpi';
import type { Theme } from './theme';

type RGB = [number, number, number];
type RGBA = [number, number, number, number];

export const STATUS_RGB: Record<Status, RGB> = {
	good: [46, 196, 132],
	watch: [245, 183, 49],
	alert: [244, 67, 67],
	nodata: [150, 162, 182]
};
export const STATUS_CSS: Record<Status, string> = Object.fromEntries(
	Object.entries(STATUS_RGB).map(([k, [r, g, b]]) => [k, `rgb(${r} ${g} ${b})`])
) as Record<Status, string>;

/** Five steps from alert to well above target (ColorBrewer RdYlGn-like, dimmed for a dark wall). */
const RAMP: RGB[] = [
	[178, 40, 48],
	[214, 110, 48],
	[196, 170, 60],
	[88, 160, 98],
	[30, 128, 100]
];

/** The ramp step of a value: below alert, to watch, to target, to halfway above, beyond. */
export function choroplethStep(kpi: KpiId, v: number | null): number | null {
	if (v === null || !Number.isFinite(v)) return null;
	const t = THRESHOLDS[kpi];
	const high = kpi === 'library' ? 1.15 : t.target + (1 - t.target) / 2;
	if (v < t.alert) return 0;
	if (v < t.watch) return 1;
	if (v < t.target) return 2;
	if (v < high) return 3;
	return 4;
}

/** The map around the data, per theme. */
export interface MapPalette {
	background: string;
	land: string;
	neighbourLine: string;
	provinceLine: string;
	river: string;
	/** a district without a value for the KPI */
	noValue: RGB;
	/** the districts' fill opacity over the land (0–255) */
	districtAlpha: number;
	districtLine: RGBA;
	/** the inside of a hollow "no data" school: unlike any district and not the background */
	nodataFill: RGBA;
	/** the rim of a school's dot, so a yellow dot reads on a yellow district */
	dotLine: RGBA;
	label: RGBA;
	riverLabel: RGBA;
	labelOutline: RGBA;
	/** the ring of a school whose alert is acknowledged (a firing one is red in both) */
	ackedRing: RGBA;
}

/** Each colour of the map beside its other theme's: [dark, light]. */
// prettier-ignore
const MAP_PAIRS: { [K in keyof MapPalette]: [dark: MapPalette[K], light: MapPalette[K]] } = {
	background: ['#070d18', '#dfe6ee'],
	land: ['#0e1828', '#f7f9fb'],
	neighbourLine: ['#1a2840', '#c5cfdb'],
	provinceLine: ['#2a3c5a', '#9fb0c4'],
	river: ['#1f6f9f', '#7fb8de'],
	noValue: [[44, 54, 72], [214, 220, 228]],
	districtAlpha: [150, 170],
	districtLine: [[200, 215, 235, 200], [70, 85, 110, 210]],
	nodataFill: [[22, 30, 46, 255], [255, 255, 255, 255]],
	dotLine: [[6, 12, 24, 255], [20, 28, 40, 255]],
	label: [[240, 245, 252, 255], [16, 26, 42, 255]],
	riverLabel: [[110, 180, 225, 230], [30, 100, 160, 240]],
	labelOutline: [[7, 13, 24, 255], [255, 255, 255, 235]],
	ackedRing: [[120, 180, 255, 220], [25, 95, 200, 230]]
};

const paletteOf = (i: 0 | 1) =>
	Object.fromEntries(
		Object.entries(MAP_PAIRS).map(([k, pair]) => [k, pair[i]])
	) as unknown as MapPalette;

export const MAP_PALETTE: Record<Theme, MapPalette> = { dark: paletteOf(0), light: paletteOf(1) };

export function choroplethColor(kpi: KpiId, v: number | null, theme: Theme = 'dark'): RGB {
	const step = choroplethStep(kpi, v);
	return step === null ? MAP_PALETTE[theme].noValue : RAMP[step];
}

export const RAMP_CSS = RAMP.map(([r, g, b]) => `rgb(${r} ${g} ${b})`);
export const noValueCss = (theme: Theme) => `rgb(${MAP_PALETTE[theme].noValue.join(' ')})`;

/** Each KPI's line in charts and sparklines: bright on the dark wall, deeper on a light page. */
export const KPI_COLOR: Record<Theme, Record<KpiId, string>> = {
	dark: { attendance: '#5fb4ff', uptime: '#7ee0b5', library: '#f5b731', completeness: '#c59bff' },
	light: { attendance: '#1f6fc0', uptime: '#11875a', library: '#a86f00', completeness: '#7548c0' }
};
/** The focused district's line beside the city's. */
export const FOCUS_COLOR: Record<Theme, string> = { dark: '#ffffff', light: '#132033' };
