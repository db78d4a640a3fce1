import { fail, redirect } from '@sveltejs/kit';
import { parseLocale, t } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { fileName } from '$lib/server/reports/engine';
import { MAX_PENDING } from '$lib/server/reports/jobs';
import { parseReportRequest, reportYears, type ReportSpec } from '$lib/server/reports/request';
import { requestScope } from '$lib/server/auth/request-scope';
import { localDay } from '$lib/shared/calendar';
import { formatDay } from '$lib/shared/range';
import { districtResolver } from '$lib/shared/registry';
import { schoolInScope } from '$lib/shared/scope';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ url, locals }) => {
	const locale = parseLocale(url.searchParams.get('lang'));
	const rt = await appRuntime();
	const reg = rt.registry.registry;
	const scope = requestScope(locals);
	const districtOf = districtResolver(reg.areas);
	const schools = reg.schools
		.filter((s) => schoolInScope(scope, s, districtOf))
		.map((s) => ({ id: s.school_id, name: s.name, district: districtOf(s) ?? '' }))
		.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
	const inArea = new Set(schools.map((s) => s.district));
	const districts = reg.areas
		.filter((a) => a.level === 'district' && scope.kind !== 'school' && inArea.has(a.area_id))
		.map((a) => ({ id: a.area_id, name: a.name }))
		.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
	const today = localDay(Date.now() - rt.clock.shiftMs);
	return {
		locale,
		city: scope.kind === 'city',
		years: reportYears(Date.now(), rt.clock.shiftMs),
		districts,
		schools,
		defaults: { from: formatDay(today - 29), to: formatDay(today) },
		jobs: rt.reports.list(locals.user!.id),
		job: url.searchParams.get('job')
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, url }) => {
		const rt = await appRuntime();
		const form = await request.formData();
		const p = new URLSearchParams();
		for (const k of ['kind', 'year', 'district', 'school', 'from', 'to'])
			if (typeof form.get(k) === 'string' && form.get(k)) p.set(k, String(form.get(k)));
		const locale = parseLocale(String(form.get('lang') ?? url.searchParams.get('lang')));
		const pageLocale = parseLocale(url.searchParams.get('lang'));
		// a school report names its school, a district report its district: drop what the form's other kinds left
		if (p.get('kind') === 'school') p.delete('district');
		else p.delete('school');
		if (p.get('kind') === 'plan83') {
			p.delete('from');
			p.delete('to');
		} else p.delete('year');
		const r = parseReportRequest(p, {
			registry: rt.registry.registry,
			now: Date.now(),
			shiftMs: rt.clock.shiftMs,
			scope: requestScope(locals)
		});
		if (!r.ok) return fail(r.status, { message: t(pageLocale, r.key, r.params) });
		const job = rt.reports.submit(
			locals.user!.id,
			r.value,
			locale,
			labelOf(r.value, pageLocale),
			fileName(r.value)
		);
		if (!job)
			return fail(429, {
				message: t(pageLocale, 'report.error.busy', { n: rt.reports.pending(), max: MAX_PENDING })
			});
		const q = new URLSearchParams({ job: job.id });
		if (pageLocale === 'en') q.set('lang', 'en');
		redirect(303, `/reports?${q}`);
	}
} satisfies Actions;

function labelOf(s: ReportSpec, locale: 'vi' | 'en'): string {
	const area = s.school?.name ?? s.district?.name ?? t(locale, 'report.page.city');
	const period =
		s.kind === 'plan83'
			? String(s.year)
			: `${dmy(formatDay(s.range.fromDay), locale)} – ${dmy(formatDay(s.range.toDay), locale)}`;
	return `${t(locale, `report.kind.${s.kind}`)} · ${period} · ${area}`;
}

/** "2026-11-05" → "05/11/2026" in Vietnamese; ISO in English. */
function dmy(iso: string, locale: 'vi' | 'en'): string {
	return locale === 'vi' ? iso.split('-').reverse().join('/') : iso;
}
