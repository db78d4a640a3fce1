/**
 * The wall's history for the area in focus: a tile's sparkline, and the side column's trend of
 * the selected KPI (the city, and the district in focus against it).
 */
import type { TrendSeries } from '$lib/components/charts/TrendChart.svelte';
import { FOCUS_COLOR, KPI_COLOR } from '$lib/shared/colors';
import type { KpiId } from '$lib/shared/kpi';
import type { Theme } from '$lib/shared/theme';
import type { WallHistory } from '$lib/shared/wall';

/** A tile's sparkline: today's hours for uptime (from the first with data), whole days otherwise. */
export function sparkOf(h: WallHistory | null, id: KpiId, focus: string): (number | null)[] {
	if (!h) return [];
	if (id === 'uptime') {
		const v = focus === 'city' ? h.uptime_hours.city : (h.uptime_hours.districts[focus] ?? []);
		return v.slice(
			Math.max(
				0,
				v.findIndex((x) => x !== null)
			)
		);
	}
	const s = focus === 'city' ? h.city : h.districts[focus];
	if (!s) return [];
	// today's library use is still growing: the tile compares it fairly; the sparkline shows whole days
	return id === 'library' ? s[id].slice(0, -1) : s[id];
}

export interface TrendInput {
	kpi: KpiId;
	focus: string;
	/** the series' names: the city's, and the district's in focus */
	cityName: string;
	focusName: string;
	/** the measured day's start (ISO), once the numbers have arrived (read for uptime only) */
	dayStart: () => string | null;
	theme: Theme;
}

/** The trend chart's labels and series: hours of today for uptime, the last days otherwise. */
export function trendOf(
	h: WallHistory | null,
	{ kpi, focus, cityName, focusName, dayStart, theme }: TrendInput
): { labels: string[]; series: TrendSeries[] } {
	if (!h) return { labels: [], series: [] };
	if (kpi === 'uptime') {
		// hours of the measured school day (with the demo clock, the day being played), from the first with data
		const first = Math.max(
			0,
			h.uptime_hours.city.findIndex((v) => v !== null)
		);
		const start = Date.parse(dayStart() ?? h.uptime_hours.hours[0] ?? '');
		const labels = h.uptime_hours.hours
			.slice(first)
			.map(
				(x) => `${String(Math.round((Date.parse(x) - start) / 3600_000) % 24).padStart(2, '0')}:00`
			);
		const series = [
			{ name: cityName, values: h.uptime_hours.city.slice(first), color: KPI_COLOR[theme].uptime }
		];
		if (focus !== 'city')
			series.push({
				name: focusName,
				values: (h.uptime_hours.districts[focus] ?? []).slice(first),
				color: FOCUS_COLOR[theme]
			});
		return { labels, series };
	}
	const labels = h.days.map((d) => `${d.slice(8, 10)}/${d.slice(5, 7)}`);
	const series = [{ name: cityName, values: h.city[kpi], color: KPI_COLOR[theme][kpi] }];
	if (focus !== 'city')
		series.push({
			name: focusName,
			values: h.districts[focus]?.[kpi] ?? [],
			color: FOCUS_COLOR[theme]
		});
	return { labels, series };
}
