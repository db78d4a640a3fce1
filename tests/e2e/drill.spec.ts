/**
 * Drill-down against the embedded product: wall → district → school by clicks, the back button,
 * URL state, exports (CSV with BOM, chart PNG), replay, and what bad URLs get.
 * Screenshots go to test-results/ (district-*.png, school-*.png) to be looked at.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';

const onlyThisOrigin = (page: Page) => {
	const foreign: string[] = [];
	page.on('request', (r) => {
		const u = r.url();
		if (
			!u.startsWith(new URL(page.url() || 'http://127.0.0.1').origin) &&
			!u.startsWith('data:') &&
			!u.startsWith('blob:') &&
			!u.startsWith('http://127.0.0.1')
		)
			foreign.push(u);
	});
	return foreign;
};

test('wall → district → school by clicks, and the back button walks back', async ({ page }) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 1920, height: 1080 });
	const foreign = onlyThisOrigin(page);
	await page.goto('/wall');
	await expect(page.getByTestId('district-ranking')).toBeVisible({ timeout: 30_000 });

	// click 1: a district on the wall's ranking
	await page.getByTestId('district-ranking').getByRole('link', { name: 'Cờ Đỏ' }).click();
	// the first view a fresh server builds, while the feed still loads the previous days: allow it time
	await expect(page).toHaveURL(/\/districts\/co-do$/, { timeout: 30_000 });
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cờ Đỏ');
	await expect(page.getByTestId('breadcrumbs')).toContainText('Toàn thành phố');
	const table = page.getByTestId('schools-table');
	await expect(table.locator('tbody tr[data-school]').first()).toBeVisible();
	const rows = await table.locator('tbody tr[data-school]').count();
	expect(rows).toBeGreaterThan(10);

	// sorting is a link: the URL carries it
	await table.locator('th a[data-sort=attendance]').click();
	await expect(page).toHaveURL(/sort=attendance/);
	const values = await table.locator('tbody tr[data-school] td.num:nth-of-type(3)').allInnerTexts();
	expect(values.length).toBe(rows);

	// click 2: a school
	const first = table.locator('tbody tr[data-school]').first();
	const id = await first.getAttribute('data-school');
	const name = (await first.locator('td a').innerText()).trim();
	await first.locator('td a').click();
	await expect(page).toHaveURL(new RegExp(`/schools/${id}`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
	await expect(page.getByTestId('breadcrumbs').getByRole('link', { name: 'Cờ Đỏ' })).toBeVisible();
	await expect(page.getByTestId('school-status')).toHaveAttribute(
		'data-status',
		/good|watch|alert|nodata/
	);
	await expect(page.getByTestId('kpi-cards').locator('[data-kpi]')).toHaveCount(4);
	// a page opened from the wall scrolls as any page: from its top, by the wheel (the wall's own
	// "nothing scrolls, rem follows the screen" must not follow a person out of it)
	const scroll = () =>
		page.evaluate(() => ({
			window: scrollY,
			body: document.body.scrollTop,
			overflow: getComputedStyle(document.body).overflowY,
			rem: getComputedStyle(document.documentElement).fontSize
		}));
	expect(await scroll()).toEqual({ window: 0, body: 0, overflow: 'visible', rem: '16px' });
	await page.screenshot({ path: 'test-results/school-1080p.png', fullPage: true });
	await page.mouse.move(960, 600);
	await page.mouse.wheel(0, 600);
	await expect.poll(async () => (await scroll()).window).toBeGreaterThan(0);

	// back: the sorted district, then the unsorted one, then the wall
	await page.goBack();
	await expect(page).toHaveURL(/\/districts\/co-do\?sort=attendance/);
	await page.goBack();
	await expect(page).toHaveURL(/\/districts\/co-do$/);
	await page.goBack();
	await expect(page).toHaveURL(/\/wall$/);
	expect(foreign).toEqual([]);
});

test('a shared link reproduces the view; exports say what produced them', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 1920, height: 1080 });
	const link = '/districts/ninh-kieu?range=7d&kpi=completeness&sort=name&dir=asc&level=primary';
	await page.goto(link);
	const names = await page
		.locator('[data-testid=schools-table] tbody tr[data-school] td:first-child a')
		.allInnerTexts();
	expect(names.length).toBeGreaterThan(5);
	expect([...names].sort((a, b) => a.localeCompare(b, 'vi'))).toEqual(names);
	const kpiValue = await page
		.locator('[data-testid=kpi-cards] [data-kpi=completeness]')
		.getAttribute('data-value');

	// the same link in another browser context: the same rows and numbers
	const other = await browser.newPage();
	await other.goto(page.url());
	expect(
		await other
			.locator('[data-testid=schools-table] tbody tr[data-school] td:first-child a')
			.allInnerTexts()
	).toEqual(names);
	expect(
		await other
			.locator('[data-testid=kpi-cards] [data-kpi=completeness]')
			.getAttribute('data-value')
	).toBe(kpiValue);
	await other.close();

	// CSV: a download, UTF-8 with BOM, the range and filters first, then one line per school
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('export-csv').click()
	]);
	expect(download.suggestedFilename()).toMatch(/^Ninh Kiều \d{4}-\d\d-\d\d \d{4}-\d\d-\d\d\.csv$/);
	const bytes = await readFile((await download.path())!);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const text = bytes.toString('utf8').slice(1);
	const lines = text.split('\r\n');
	expect(lines[0]).toBe('Trang,Ninh Kiều');
	expect(text).toContain('Khoảng thời gian,');
	expect(text).toContain('Bộ lọc,Tiểu học');
	const header = lines.indexOf('') + 1;
	expect(lines[header]).toMatch(/^Trường,school_id,/);
	const csvNames = lines
		.slice(header + 1, -1)
		.map((l) => (l.startsWith('"') ? l.slice(1, l.indexOf('"', 1)) : l.split(',')[0]));
	expect(csvNames).toEqual(names);

	// PNG of the trend chart, with its caption
	const png = page.getByTestId('export-png').first();
	await expect(png).toBeEnabled({ timeout: 15_000 });
	const [img] = await Promise.all([page.waitForEvent('download'), png.click()]);
	expect(img.suggestedFilename()).toMatch(/^ninh-kieu-completeness-.*\.png$/);
	const pngBytes = await readFile((await img.path())!);
	expect([...pngBytes.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
	expect(pngBytes.length).toBeGreaterThan(10_000);
	await page.screenshot({ path: 'test-results/district-1080p.png', fullPage: true });
});

test('the district view at 4K', async ({ page }) => {
	test.setTimeout(90_000);
	await page.setViewportSize({ width: 3840, height: 2160 });
	await page.goto('/districts/ninh-kieu?lang=en');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	const fontPx = await page.evaluate(() =>
		parseFloat(getComputedStyle(document.documentElement).fontSize)
	);
	expect(fontPx).toBeGreaterThan(30);
	await expect(page.getByTestId('range-picker')).toContainText('This school year');
	// the map zoomed on the district is drawn
	await expect(page.getByTestId('wall-map')).toHaveAttribute('data-ready', '1', {
		timeout: 45_000
	});
	await page.evaluate(() =>
		(window as unknown as { __wallMap: { idle(): Promise<void> } }).__wallMap.idle()
	);
	await page.screenshot({ path: 'test-results/district-4k.png' });
});

test('replay: a view and the wall as they were a few minutes ago', async ({ page }) => {
	test.setTimeout(90_000);
	const at = await page.evaluate(() => {
		const d = new Date(Date.now() - 3 * 60_000 + 7 * 3600_000);
		return d.toISOString().slice(0, 16);
	});
	await page.goto(`/districts/ninh-kieu?at=${at}`);
	await expect(page.getByTestId('range-label')).toContainText(`XEM LẠI ${at}`);
	await expect(page.getByTestId('replay-live')).toBeVisible();

	await page.goto(`/wall?at=${at}&speed=1`);
	await expect(page.getByTestId('replay-bar')).toBeVisible();
	await expect(page.getByTestId('replay-at')).toContainText(at.replace('T', ' '));
	await expect(page.getByTestId('connection')).not.toContainText('Mất kết nối');
	await page.getByTestId('replay-play').click();
	// one replayed minute a second: the moment moves on, and stops at the present
	await expect(page.getByTestId('replay-at')).not.toContainText(at.replace('T', ' '), {
		timeout: 10_000
	});
});

test('bad URLs get a clear message, never a 500', async ({ page, request }) => {
	for (const [url, status, text] of [
		['/districts/atlantis', 404, 'Không có quận, huyện mã "atlantis"'],
		['/schools/no-such-school', 404, 'Không có trường mã "no-such-school"'],
		[
			'/districts/ninh-kieu?range=custom&from=2026-11-10&to=2026-11-01',
			400,
			'đứng trước ngày bắt đầu'
		],
		['/districts/ninh-kieu?range=custom&from=2026-02-30&to=2026-03-02', 400, 'không hợp lệ'],
		[
			'/districts/ninh-kieu?range=custom&from=2020-01-01&to=2020-01-31',
			400,
			'chỉ được lưu 400 ngày'
		],
		['/schools/ct-916-001?at=tomorrow', 400, 'Thời điểm xem lại'],
		['/districts/ninh-kieu?sort=colour&lang=en', 400, '"colour" is not a valid sort'],
		['/wall?at=2020-01-01T08:00', 400, 'xem lại được 34 ngày']
	] as const) {
		const r = await page.goto(url);
		expect(r?.status(), url).toBe(status);
		await expect(page.getByTestId('error-message')).toContainText(text);
	}
	const csv = await request.get('/districts/ninh-kieu/export.csv?range=fortnight');
	expect(csv.status()).toBe(400);
	const replay = await request.get('/api/wall/replay?at=nonsense');
	expect(replay.status()).toBe(400);
	expect((await replay.json()).error).toContain('nonsense');
});

test('Plan 83 from the wall: roll-out tables, schools still missing, CSV', async ({
	page,
	request
}) => {
	test.setTimeout(90_000);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto('/wall');
	await page.getByTestId('open-plan83').click();
	await expect(page).toHaveURL(/\/plan83$/);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Kế hoạch 83');
	await expect(page.locator('table').first()).toBeVisible();
	const missing = page.locator('a[href^="/schools/"]');
	expect(await missing.count()).toBeGreaterThan(0);
	await page.screenshot({ path: 'test-results/plan83-1080p.png', fullPage: true });
	const csv = await request.get('/plan83/export.csv?table=districts');
	expect(csv.status()).toBe(200);
	const body = Buffer.from(await csv.body());
	expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	expect(body.toString('utf8')).toContain('Ninh Kiều');
	const bad = await page.goto('/plan83?year=1999');
	expect(bad?.status()).toBe(400);
	await expect(page.getByTestId('error-message')).toContainText('1999');
});
