/** What produced an export: view, range and filters, in the reader's language (CSV "about" lines, PNG captions). */
import { t, type Locale } from '$lib/i18n/dictionary';
import type { RangeInfo } from '$lib/shared/drill';
import type { ViewQuery } from '$lib/shared/views';

export function aboutLines(
	locale: Locale,
	title: string,
	range: RangeInfo,
	view: ViewQuery,
	exportedAt: number
): [string, string][] {
	const tr = (k: Parameters<typeof t>[1], p?: Record<string, string | number>) => t(locale, k, p);
	const lines: [string, string][] = [
		[tr('export.about.view'), title],
		[
			tr('export.about.range'),
			`${range.from_day} → ${range.to_day} (${tr(`range.preset.${range.preset}`)})`
		]
	];
	if (range.replay) lines.push([tr('export.about.as_of'), range.as_of]);
	if (range.prev)
		lines.push([tr('export.about.compare'), `${range.prev.from_day} → ${range.prev.to_day}`]);
	lines.push([tr('export.about.kpi'), tr(`kpi.short.${view.kpi}`)]);
	lines.push([
		tr('export.about.filters'),
		[
			view.setting ? tr(`district.${view.setting}`) : null,
			view.level ? tr(`level.${view.level}`) : null
		]
			.filter(Boolean)
			.join(', ') || tr('district.all')
	]);
	lines.push([tr('export.about.sort'), `${view.sort} ${view.dir}`]);
	lines.push([tr('export.about.exported'), new Date(exportedAt).toISOString()]);
	return lines;
}

/** The same, as caption lines for a chart image. */
export function filterCaption(
	locale: Locale,
	title: string,
	range: RangeInfo,
	view: ViewQuery
): string[] {
	const about = aboutLines(locale, title, range, view, Date.now());
	return [
		title,
		about
			.slice(1, -1)
			.map(([k, v]) => `${k}: ${v}`)
			.join(' · ')
	];
}
