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

/** Call during a page's set-up. */
export function drillPage(get: () => { locale: Locale; view: ViewQuery; range: RangeInfo }) {
	const ui = $state({ scale: 16 });
	onMount(() => {
		ui.scale = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
		const { view, range } = get();
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
