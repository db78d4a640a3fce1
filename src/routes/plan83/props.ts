/** What each panel of the Plan 83 page is given: the view, the page's links, and its language. */
import type { Locale } from '$lib/i18n/dictionary';
import type { Plan83View } from '$lib/shared/plan83';
import type { Plan83Links } from './links';

export interface Plan83PanelProps {
	view: Plan83View;
	links: Plan83Links;
	locale: Locale;
}
