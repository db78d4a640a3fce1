/**
 * The light theme (an IOC page among bright panels, a lobby screen) against the running product:
 * the page, its tiles and its map are light, at 1080p and 4K; a bad `?theme=` is named on the
 * wall and the wall stays dark. The token that fixes a theme is tested with the IOC embed in
 * roles.spec.ts. Screenshots: test-results/embed-light-*.png, wall-light-1080p.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { lightness } from './pixels';

async function mapReady(page: Page) {
	await expect(page.getByTestId('wall-map')).toHaveAttribute('data-ready', '1', {
		timeout: 30_000
	});
	await page.evaluate(() =>
		(window as unknown as { __wallMap: { idle(): Promise<void> } }).__wallMap.idle()
	);
}

/** The computed colours that make a page light or dark: the wall, a tile, the area's name. */
async function colours(page: Page) {
	return page.evaluate(() => {
		const bg = (sel: string) => getComputedStyle(document.querySelector(sel)!).backgroundColor;
		return {
			wall: bg('[data-testid=wall]'),
			tile: bg('[data-testid=kpi-uptime]'),
			name: getComputedStyle(document.querySelector('[data-testid=area-name]')!).color
		};
	});
}

for (const size of [
	{ width: 1920, height: 1080, name: '1080p' },
	{ width: 3840, height: 2160, name: '4k' }
]) {
	test(`a district embed in the light theme at ${size.name}: light page, tiles and map`, async ({
		page
	}) => {
		test.setTimeout(120_000);
		await page.setViewportSize(size);
		// an account previews the embed; the IOC's token carries the same choice (roles.spec.ts)
		const r = await page.goto('/embed/district/ninh-kieu?theme=light');
		expect(r?.status()).toBe(200);
		await mapReady(page);
		await expect(page.getByTestId('wall')).toHaveAttribute('data-theme', 'light');
		await expect(page.getByTestId('area-name')).toHaveText('Ninh Kiều');
		expect(await colours(page)).toEqual({
			wall: 'rgb(238, 242, 247)',
			tile: 'rgb(255, 255, 255)',
			name: 'rgb(19, 32, 51)'
		});
		// the map (a WebGL canvas CSS cannot reach) is drawn light too: most of it is light land and sea
		const map = await lightness(page, page.getByTestId('wall-map'));
		expect(map.lightShare, JSON.stringify(map)).toBeGreaterThan(0.5);
		await page.screenshot({ path: `test-results/embed-light-${size.name}.png` });

		// the same embed, dark (the default): the same measures say dark
		await page.goto('/embed/district/ninh-kieu');
		await mapReady(page);
		await expect(page.getByTestId('wall')).toHaveAttribute('data-theme', 'dark');
		expect(await colours(page)).toEqual({
			wall: 'rgb(7, 13, 24)',
			tile: 'rgb(15, 26, 44)',
			name: 'rgb(230, 238, 248)'
		});
		const dark = await lightness(page, page.getByTestId('wall-map'));
		expect(dark.lightShare, JSON.stringify(dark)).toBeLessThan(0.1);
		expect(dark.mean).toBeLessThan(map.mean / 2);
	});
}

test('the wall takes ?theme=light; a bad theme is named on the wall, which stays dark', async ({
	page
}) => {
	test.setTimeout(60_000);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto('/wall?theme=light&kpi=uptime');
	await mapReady(page);
	await expect(page.getByTestId('wall')).toHaveAttribute('data-theme', 'light');
	await page.screenshot({ path: 'test-results/wall-light-1080p.png' });

	const r = await page.goto('/wall?theme=%3Cb%3Eneon');
	expect(r?.status()).toBe(200);
	await expect(page.getByTestId('kiosk-problems')).toContainText('theme');
	await expect(page.getByTestId('kiosk-problems')).toContainText('<b>neon');
	await expect(page.getByTestId('wall')).toHaveAttribute('data-theme', 'dark');
});

test('a KPI panel embed fills a small iframe and stays readable: 480×270 and 1920×1080', async ({
	page
}) => {
	for (const [width, height] of [
		[480, 270],
		[1920, 1080]
	]) {
		await page.setViewportSize({ width, height });
		await page.goto('/embed/kpi/attendance?district=co-do&theme=light');
		const tile = page.getByTestId('kpi-attendance');
		await expect(page.getByTestId('kpi-attendance-value')).toHaveText(/^\d+,\d\s?%$/);
		const t = (await tile.boundingBox())!;
		const age = (await page.getByTestId('kpi-attendance-age').boundingBox())!;
		// the tile is inside the frame, its last line inside the tile, and it takes most of the frame
		expect(t.y + t.height, `${width}×${height}`).toBeLessThanOrEqual(height);
		expect(age.y + age.height).toBeLessThanOrEqual(t.y + t.height);
		expect(t.width * t.height).toBeGreaterThan(0.6 * width * height);
		const px = await page
			.getByTestId('kpi-attendance-value')
			.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
		expect(px).toBeGreaterThanOrEqual(width / 20);
		await page.screenshot({ path: `test-results/embed-panel-${width}.png` });
	}
});
