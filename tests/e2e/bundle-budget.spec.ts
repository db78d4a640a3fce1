/**
 * Issue 17's budget for the client JavaScript: /wall at most 600 kB gzip, every other page at
 * most 350 kB, dynamic imports included (a page starts those at once). Read from the client
 * build that `npm run test:e2e` makes before this suite (harness/client-bundle.ts, as
 * `npm run bench:bundle` counts it); `npm run bench:bundle` says which packages the kilobytes
 * come from when it fails.
 */
import { expect, test } from '@playwright/test';
import { clientBundle, JS_BUDGET_KB, overBudget } from '#harness/client-bundle';

test('every page loads no more JavaScript than its budget (gzip)', () => {
	const { pages } = clientBundle();
	// the build has the pages it should (a missing manifest or route would pass anything)
	const routes = pages.map((p) => p.route);
	expect(routes).toContain('/wall');
	expect(routes).toContain('/districts/[id]');
	expect(pages.length).toBeGreaterThanOrEqual(10);
	for (const p of pages)
		console.log(
			`${p.route}: ${p.kb.toFixed(0)} kB (budget ${p.route === '/wall' ? JS_BUDGET_KB.wall : JS_BUDGET_KB.other})`
		);
	expect(overBudget(pages)).toEqual([]);
});

test('a page over its budget is named, with its figure and budget', () => {
	const page = (route: string, kb: number) => ({
		route,
		kb,
		key: route,
		files: new Set<string>(),
		firstKb: kb
	});
	expect(
		overBudget([page('/wall', 600), page('/wall', 601), page('/plan83', 350), page('/x', 351)])
	).toEqual([
		{ route: '/wall', kb: 601, budget: 600 },
		{ route: '/x', kb: 351, budget: 350 }
	]);
});
