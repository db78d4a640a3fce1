import type { LayoutServerLoad } from './$types';

/**
 * When this page's data was made: kept with the page on the device, so a page shown offline
 * says how old its numbers are. Read on every navigation (it depends on the URL).
 */
export const load = (({ url }) => ({
	renderedAt: url ? Date.now() : 0
})) satisfies LayoutServerLoad;
