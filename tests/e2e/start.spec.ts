import { expect, test } from '@playwright/test';
import type { Health } from '#shared/health';

test('the embedded start: every school of Cần Thơ, 9 districts, events rising', async ({
	request
}) => {
	const first = (await (await request.get('/api/health')).json()) as Health;
	expect(first.mode).toBe('embedded');
	expect(first.source).toBe('embedded-feed');
	expect(first.schools).toBe(467);
	expect(first.districts).toBe(9);
	await expect
		.poll(
			async () => ((await (await request.get('/api/health')).json()) as Health).ingest.events_total,
			{ timeout: 60_000 }
		)
		.toBeGreaterThan(first.ingest.events_total);
	const later = (await (await request.get('/api/health')).json()) as Health;
	expect(later.ingest.last_event_at).not.toBeNull();
	expect(later.ingest.rejects_total).toBe(0);
});

test('the status page shows the registry and live counters in Vietnamese, English on request', async ({
	page
}) => {
	const requests: string[] = [];
	page.on('request', (r) => requests.push(r.url()));
	for (const size of [
		{ width: 1920, height: 1080, name: '1080p' },
		{ width: 3840, height: 2160, name: '4k' }
	]) {
		await page.setViewportSize(size);
		await page.goto('/');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'Trung tâm điều hành giáo dục thông minh Cần Thơ'
		);
		await expect(page.getByTestId('schools')).toHaveText(/467/);
		await expect(page.getByTestId('districts')).toHaveText('9');
		await page.screenshot({ path: `test-results/start-${size.name}.png` });
	}
	await page.getByRole('link', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Cần Thơ Smart Education Operations Centre'
	);
	const origin = new URL(page.url()).origin;
	expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
});

test('the contract is published for vendors', async ({ request }) => {
	const index = await (await request.get('/contract/v1/index.json')).json();
	expect(Object.keys(index.kinds)).toEqual([
		'attendance',
		'device',
		'library',
		'completeness',
		'registry'
	]);
	const schema = await (await request.get('/contract/v1/attendance.schema.json')).json();
	expect(schema.properties.payload.required).toContain('present');
});
