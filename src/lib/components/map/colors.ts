/** Colours of the wall: status colours (each paired with a shape on the map) and the choropleth ramp. */
import { THRESHOLDS, type KpiId, type Status } from '$lib/shared/kpi';

type RGB = [number, number, number];

export const STATUS_RGB: Record<Status, RGB> = {
	good: [46, 196, 132],
	watch: [245, 183, 49],
	alert: [244, 67, 67],
	nodata: [150, 162, 182]
};
export const STATUS_CSS: Record<Status, string> = Object.fromEntries(
	Object.entries(STATUS_RGB).map(([k, [r, g, b]]) => [k, `rgb(${r} ${g} ${b})`])
) as Record<Status, string>;
/** the inside of a hollow "no data" circle: darker than any district, not the background */
export const NODATA_FILL: [number, number, number, number] = [22, 30, 46, 255];

/** Five steps from alert to well above target (ColorBrewer RdYlGn-like, dimmed for a dark wall). */
const RAMP: RGB[] = [
	[178, 40, 48],
	[214, 110, 48],
	[196, 170, 60],
	[88, 160, 98],
	[30, 128, 100]
];
const NO_VALUE: RGB = [44, 54, 72];

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

export function choroplethColor(kpi: KpiId, v: number | null): RGB {
	const step = choroplethStep(kpi, v);
	return step === null ? NO_VALUE : RAMP[step];
}

export const RAMP_CSS = RAMP.map(([r, g, b]) => `rgb(${r} ${g} ${b})`);
export const NO_VALUE_CSS = `rgb(${NO_VALUE.join(' ')})`;
