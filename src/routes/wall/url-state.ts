/**
 * The wall's URL: the language and the KPI chosen on the wall are kept in the address (so a
 * reload shows the same wall), and the links it offers keep the language.
 */
import { replaceState } from '$app/navigation';
import { page } from '$app/state';
import type { Locale } from '$lib/i18n/dictionary';
import { formatAt } from '$lib/shared/range';

/** Set one parameter of the page's URL (null removes it) without a navigation. */
export function replaceParam(name: string, value: string | null): void {
	const url = new URL(page.url);
	if (value === null) url.searchParams.delete(name);
	else url.searchParams.set(name, value);
	replaceState(url, {});
}

/** `?lang=en` (`&lang=en` after other parameters) in English; nothing in Vietnamese, the default. */
export const langParam = (locale: Locale, sep: '?' | '&' = '?') =>
	locale === 'en' ? `${sep}lang=en` : '';

export const districtHref = (id: string, locale: Locale) => `/districts/${id}${langParam(locale)}`;
export const schoolHref = (id: string, locale: Locale) => `/schools/${id}${langParam(locale)}`;
export const plan83Href = (locale: Locale) => `/plan83${langParam(locale)}`;
export const liveWallHref = (locale: Locale) => `/wall${langParam(locale)}`;
/** The wall replayed from this moment (ms). */
export const replayHref = (at: number, locale: Locale) =>
	`/wall?at=${encodeURIComponent(formatAt(at))}${langParam(locale, '&')}`;
