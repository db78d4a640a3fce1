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
