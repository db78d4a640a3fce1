/**
 * The Plan 83 page's links: the page itself with some of its URL state changed (?year= &district=
 * &item= &lang=, defaults left out), its CSV exports, and the wall, district and school pages in
 * the page's language. Links only: the page has no forms.
 */
import type { Locale } from '$lib/i18n/dictionary';
import type { Plan83Item, Plan83Table } from '$lib/shared/plan83';

/** The page's URL state, as its load read it. */
export interface Plan83State {
	year: number;
	district: string | null;
	item: Plan83Item;
}

/** What a link changes; a district of null is the whole city. */
export interface Plan83Change {
	year?: number;
	district?: string | null;
	item?: Plan83Item;
	table?: Plan83Table;
}

/** The page's query string with some parameters changed; defaults are left out ('' for none). */
export function plan83Search(
	state: Plan83State,
	lastYear: number,
	locale: Locale,
	over: Plan83Change = {}
): string {
	const s = new URLSearchParams();
	if (over.table) s.set('table', over.table);
	const year = over.year ?? state.year;
	if (year !== lastYear || over.table) s.set('year', String(year));
	const district = over.district === undefined ? state.district : over.district;
	if (district) s.set('district', district);
	const item = over.item ?? state.item;
	if (item !== 'multimedia' || over.table === 'missing') s.set('item', item);
	if (locale === 'en') s.set('lang', 'en');
	const str = s.toString();
	return str ? `?${str}` : '';
}

/** The links of a page showing `state` (the plan's last year is the default year). */
export function plan83Links(state: Plan83State, lastYear: number, locale: Locale) {
	const lang = locale === 'en' ? '?lang=en' : '';
	return {
		/** this page with some parameters changed, and a fragment (`#missing`) */
		here: (over: Plan83Change = {}, hash = '') =>
			`/plan83${plan83Search(state, lastYear, locale, over)}${hash}`,
		/** one of the page's tables as CSV, for the same year, district and item */
		csv: (table: Plan83Table) =>
			`/plan83/export.csv${plan83Search(state, lastYear, locale, { table })}`,
		wall: `/wall${lang}`,
		school: (id: string) => `/schools/${id}${lang}`,
		district: (id: string) => `/districts/${id}${lang}`
	};
}

export type Plan83Links = ReturnType<typeof plan83Links>;
