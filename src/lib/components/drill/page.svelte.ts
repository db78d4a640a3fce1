/**
 * What every drill-down page shares in the browser: links that keep the view's state (and the
 * language), the page's rem in px (for the map and charts), and a live view refreshing itself
 * every 30 s (a replay or a past range stands still).
 */
import { onMount } from 'svelte';
import { invalidateAll } from '$app/navigation';
import { page } from '$app/state';
import { pct } from '$lib/format';
import { t, type Locale, type MessageKey } from '$lib/i18n/dictionary';
import type { RangeInfo } from '$lib/shared/drill';
import { viewSearch, type ViewQuery } from '$lib/shared/views';

export const REFRESH_MS = 30_000;

/** What a drill-down page's load returns around its view. */
interface DrillData<D> {
	locale: Locale;
	view: ViewQuery;
	data: D;
}

/**
 * The page's state under the names every drill-down page uses:
 * `const { locale, view, d, lang, path } = $derived(drillState(data));`
 */
export function drillState<D>(data: DrillData<D>) {
	return {
		locale: data.locale,
		view: data.view,
		d: data.data,
		/** the language parameter a link keeps */
		lang: data.locale === 'en' ? ('en' as const) : null,
		path: page.url.pathname
	};
}

/** Call during a page's set-up, with its data: `drillPage(() => data)`. */
export function drillPage(get: () => DrillData<{ range: RangeInfo }>) {
	const ui = $state({ scale: 16 });
	onMount(() => {
		ui.scale = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
		const { view, data } = get();
		const range = data.range;
		if (range.replay || view.range.preset === 'custom') return;
		const id = setInterval(() => invalidateAll(), REFRESH_MS);
		return () => clearInterval(id);
	});
	return {
		ui,
		/** the view (or another path: an export, another page) with this state, in this language */
		link: (v: ViewQuery, path: string = page.url.pathname, extra: Record<string, string> = {}) =>
			`${path}${viewSearch(v, { lang: get().locale === 'en' ? 'en' : null, ...extra })}`,
		tr: (k: MessageKey, p?: Record<string, string | number>) => t(get().locale, k, p),
		/** a ratio as a percentage */
		P: (v: number | null) => pct(v, get().locale)
	};
}
