/** GET /api/wall/replay?at=YYYY-MM-DDTHH:MM — the wall's topics as they stood at that (local) minute. */
import { json } from '@sveltejs/kit';
import { parseLocale, t } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { replayWall } from '$lib/server/wall/replay';
import { requestFilter } from '$lib/server/auth/request-scope';
import { narrowReplay } from '$lib/server/pages/wall';
import { checkWallReplay } from '$lib/shared/range';
import type { WallHealth } from '$lib/shared/wall';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, locals }) => {
	const locale = parseLocale(url.searchParams.get('lang'));
	const now = Date.now();
	const at = checkWallReplay(url.searchParams.get('at'), now);
	if (!at.ok) return json({ error: t(locale, at.error.key, at.error.params) }, { status: 400 });
	const rt = await appRuntime();
	const r = await replayWall(
		rt.ch,
		rt.registry,
		rt.clock,
		at.value,
		rt.hub.current<WallHealth>('wall.health'),
		rt.cfg.wall.staleAfterS
	);
	// a scoped account replays its own area only
	const f = requestFilter(locals, rt.registry.registry);
	return json(narrowReplay(r, f, rt.registry.registry), {
		headers: { 'cache-control': 'no-store' }
	});
};
