import { wallPageData } from '$lib/server/wall/page-data';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, setHeaders }) => wallPageData(url, setHeaders)) satisfies PageServerLoad;
