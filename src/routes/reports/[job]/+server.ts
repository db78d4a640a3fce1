import { error, json } from '@sveltejs/kit';
import { parseLocale, t } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { view } from '$lib/server/reports/jobs';
import type { RequestHandler } from './$types';

/** One of the asker's report jobs: its state and step (the page polls it while it is made). */
export const GET: RequestHandler = async ({ params, locals, url }) => {
	const rt = await appRuntime();
	const job = rt.reports.get(params.job, locals.user!.id);
	if (!job)
		error(
			404,
			t(parseLocale(url.searchParams.get('lang')), 'report.error.job', { id: params.job })
		);
	return json(view(job), { headers: { 'cache-control': 'no-store' } });
};
