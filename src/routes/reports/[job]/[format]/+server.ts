import { error } from '@sveltejs/kit';
import { parseLocale, t } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { REPORT_FORMATS, type ReportFormat } from '$lib/server/reports/request';
import type { RequestHandler } from './$types';

const TYPES: Record<ReportFormat, string> = {
	pdf: 'application/pdf',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
};

/** A finished report's PDF or DOCX, for its asker only. */
export const GET: RequestHandler = async ({ params, locals, url }) => {
	const locale = parseLocale(url.searchParams.get('lang'));
	const format = params.format as ReportFormat;
	if (!(REPORT_FORMATS as readonly string[]).includes(format))
		error(400, t(locale, 'report.error.format', { value: params.format }));
	const rt = await appRuntime();
	const job = rt.reports.get(params.job, locals.user!.id);
	if (!job?.files) error(404, t(locale, 'report.error.job', { id: params.job }));
	const body = job.files[format];
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': TYPES[format],
			'content-length': String(body.length),
			'content-disposition': `attachment; filename="${job.name}.${format}"`,
			'cache-control': 'private, no-store'
		}
	});
};
