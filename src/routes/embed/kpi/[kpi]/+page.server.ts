import { embedPageData } from '$lib/server/pages/embed';
import type { PageServerLoad } from './$types';

export const load = (async (ev) => embedPageData(ev, ev.setHeaders)) satisfies PageServerLoad;
