import { appRuntime } from '$lib/server/app-runtime';
import { scopeOf } from '$lib/server/store/users';
import { parseLocale } from '$lib/i18n/dictionary';
import { scopeName } from '$lib/shared/scope';
import type { LayoutServerLoad } from './$types';

/**
 * When this page's data was made: kept with the page on the device, so a page shown offline
 * says how old its numbers are. Read on every navigation (it depends on the URL). And the
 * account's area when it is not the whole city, so the reader knows why they see part of it.
 */
export const load = (async ({ url, locals }) => {
	const user = locals.user;
	const scope =
		user && user.scope !== ''
			? scopeName(
					scopeOf(user),
					(await appRuntime()).registry.registry,
					parseLocale(url.searchParams.get('lang'))
				)
			: null;
	return {
		renderedAt: url ? Date.now() : 0,
		scope,
		scopeKind: user && user.scope !== '' ? scopeOf(user).kind : null
	};
}) satisfies LayoutServerLoad;
