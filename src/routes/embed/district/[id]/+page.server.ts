import { embedPageData } from '$lib/server/wall/embed';
import type { PageServerLoad } from './$types';

export const load = (async (ev) => embedPageData(ev, ev.setHeaders)) satisfies PageServerLoad;
