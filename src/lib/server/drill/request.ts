/**
 * Turning a drill-down request's URL into a resolved view query, or a 400 that says what is
 * wrong, before any query runs.
 */
import { error } from '@sveltejs/kit';
import { t, type Locale } from '../../i18n/dictionary';
import { resolveRange, type ResolvedRange } from '../../shared/range';
import { parseViewQuery, type ViewError, type ViewQuery } from '../../shared/views';

export function message(locale: Locale, e: ViewError): string {
	return t(locale, e.key, e.params);
}

/** The view and its concrete range, or a 400 with a message in the reader's language. */
export function viewRequest(url: URL, locale: Locale, now: number, shiftMs: number): { view: ViewQuery; range: ResolvedRange } {
	const q = parseViewQuery(url.searchParams);
	if (!q.ok) error(400, message(locale, q.error));
	const r = resolveRange(q.value.range, now, shiftMs);
	if (!r.ok) error(400, message(locale, r.error));
	return { view: q.value, range: r.value };
}
