/**
 * The wall against the embedded product (`node build` with its demo feed): what a newcomer sees.
 * Screenshots go to test-results/ (wall-1080p.png, wall-4k.png) to be looked at.
 */
import { expect, test, type Page } from '@playwright/test';
import type { WallKpis } from '#shared/wall';
import { MAP_PALETTE, STATUS_RGB } from '#shared/colors';
import { bbox, centroid, pointInGeometry, type AreaGeometry } from '#shared/geo';
import { near, pixelsAt, project, type RGB } from './pixels';

const DISTRICTS = [
	'Ninh Kiều',
	'Bình Thủy',
	'Cái Răng',
	'Ô Môn',
	'Thốt Nốt',
	'Phong Điền',
	'Cờ Đỏ',
	'Thới Lai',
	'Vĩnh Thạnh'
];
const BACKGROUND: RGB = [7, 13, 24];

async function openWall(page: Page, query = '') {
	await page.goto(`/wall${query}`);
	await expect(page.getByTestId('wall-map')).toHaveAttribute('data-ready', '1', {
		timeout: 30_000
	});
	await page.evaluate(() =>
		(window as unknown as { __wallMap: { idle(): Promise<void> } }).__wallMap.idle()
	);
}

for (const size of [
	{ width: 1920, height: 1080, name: '1080p' },
	{ width: 3840, height: 2160, name: '4k' }
]) {
	test(`the wall at ${size.name}: districts and schools drawn, Vietnamese names, tiles equal the API`, async ({
		page,
		request
	}) => {
		test.setTimeout(120_000);
		await page.setViewportSize(size);
		await openWall(page);
		const map = page.getByTestId('wall-map');
		const box = (await map.boundingBox())!;
		expect(box.width).toBeGreaterThan(size.width * 0.4);

		// districts: the map is not background where each district lies (the label point is inside it)
		const api = (await (await request.get('/api/wall')).json()) as { kpis: WallKpis };
		const geo = (await (
			await request.get('/geo/cantho_districts_2019-2025_wof.geojson')
		).json()) as {
			features: { properties: { name_vi: string }; geometry: { coordinates: number[][][] } }[];
		};
		expect(geo.features).toHaveLength(9);

		// schools: sample each school's centre; its dot has its status colour (a hollow "no data" circle shows its dark fill)
		const schools = await page.evaluate(() =>
			[...document.querySelectorAll('[data-testid=school-table] tr[data-school]')].map((tr) => ({
				id: tr.getAttribute('data-school')!,
				status: tr.getAttribute('data-status')!,
				lon: Number(tr.getAttribute('data-lon')),
				lat: Number(tr.getAttribute('data-lat'))
			}))
		);
		expect(schools).toHaveLength(467);
		expect(api.kpis.schools).toHaveLength(467);
		// isolated schools (no other dot within 3 radii), so each sampled centre shows its own dot
		const xy = await page.evaluate(
			(pts) =>
				pts.map(([lon, lat]) =>
					(
						window as unknown as { __wallMap: { project(a: number, b: number): [number, number] } }
					).__wallMap.project(lon, lat)
				),
			schools.map((s) => [s.lon, s.lat])
		);
		const minGap = (16 * size.width) / 1920; // 3 dot radii at this scale
		const isolated = schools
			.map((s, i) => ({ ...s, xy: xy[i] }))
			.filter(
				(s, i) =>
					s.xy[0] > 0 &&
					s.xy[1] > 0 &&
					s.xy[0] < box.width &&
					s.xy[1] < box.height &&
					xy.every((o, j) => j === i || Math.hypot(o[0] - s.xy[0], o[1] - s.xy[1]) > minGap)
			);
		// and not under the legend or the credits (HTML over the canvas)
		const uncovered = await page.evaluate(
			({ pts, left, top }) =>
				pts.map(
					([x, y]) =>
						!!document.elementFromPoint(left + x, top + y)?.closest('[data-testid=wall-map]')
				),
			{ pts: isolated.map((s) => s.xy), left: box.x, top: box.y }
		);
		isolated.splice(0, isolated.length, ...isolated.filter((_, i) => uncovered[i]));
		expect(isolated.length).toBeGreaterThan(30);
		const colours = await pixelsAt(
			page,
			map,
			isolated.map((s) => s.xy)
		);
		// statuses can change while the screenshot is taken: compare only schools whose status held
		const after = new Map(
			await page.evaluate(() =>
				[...document.querySelectorAll('[data-testid=school-table] tr[data-school]')].map(
					(tr) =>
						[tr.getAttribute('data-school')!, tr.getAttribute('data-status')!] as [string, string]
				)
			)
		);
		const steady = isolated
			.map((s, i) => ({ ...s, colour: colours[i] }))
			.filter((s) => after.get(s.id) === s.status);
		expect(steady.length).toBeGreaterThan(20);
		const wrong = steady.filter(
			(s) =>
				!near(
					s.colour,
					s.status === 'nodata'
						? (MAP_PALETTE.dark.nodataFill.slice(0, 3) as RGB)
						: STATUS_RGB[s.status as keyof typeof STATUS_RGB],
					60
				)
		);
		// a district label may still cover a dot or two
		expect(
			wrong.length / steady.length,
			wrong.map((s) => `${s.id} ${s.status} ${s.colour}`).join('; ')
		).toBeLessThan(0.1);

		// each district is painted: points inside its polygon, away from school dots and its label, are not the background
		expect(await page.locator('[data-testid=district-ranking] li').count()).toBe(9);
		const k = size.width / 1920;
		for (const f of geo.features) {
			const g = f.geometry as AreaGeometry;
			const [a, b, c, d] = bbox(g);
			const label = await project(page, ...centroid(g));
			const inside: [number, number][] = [];
			for (let i = 1; i < 16; i++)
				for (let j = 1; j < 16; j++) {
					const p: [number, number] = [a + ((c - a) * i) / 16, b + ((d - b) * j) / 16];
					if (!pointInGeometry(p[0], p[1], g)) continue;
					const q = await project(page, p[0], p[1]);
					if (Math.abs(q[0] - label[0]) < 70 * k && Math.abs(q[1] - label[1]) < 14 * k) continue;
					// beyond the largest ring (an alert's: 2.1 × 0.3 rem + its line)
					if (xy.some((o) => Math.hypot(o[0] - q[0], o[1] - q[1]) < 12 * k)) continue;
					inside.push(q);
				}
			expect(inside.length, f.properties.name_vi).toBeGreaterThan(0);
			const px = await pixelsAt(page, map, inside);
			const painted = px.filter((c) => !near(c, BACKGROUND, 30)).length;
			expect(painted / px.length, `${f.properties.name_vi}: ${px.join(' ')}`).toBeGreaterThan(0.9);
		}

		// Vietnamese district names, NFC, on the ranking strip
		const ranking = await page.getByTestId('district-ranking').innerText();
		for (const d of DISTRICTS) expect(ranking.normalize('NFC')).toContain(d);

		// the four tiles show the API's numbers for the same moment (same seq)
		let compared = false;
		for (let attempt = 0; attempt < 20 && !compared; attempt++) {
			const dom = await page.evaluate(() => ({
				seq: document.querySelector('[data-testid=wall]')!.getAttribute('data-seq'),
				values: Object.fromEntries(
					['attendance', 'uptime', 'library', 'completeness'].map((k) => [
						k,
						document.querySelector(`[data-testid=kpi-${k}]`)!.getAttribute('data-value')
					])
				)
			}));
			const now = (await (await request.get('/api/wall')).json()) as { kpis: WallKpis };
			if (String(now.kpis.seq) !== dom.seq) {
				await page.waitForTimeout(150);
				continue;
			}
			for (const k of ['attendance', 'uptime', 'completeness'] as const) {
				expect(now.kpis.city.values[k]).not.toBeNull();
				expect(Number(dom.values[k])).toBe(now.kpis.city.values[k]);
			}
			expect(dom.values.library).toBe(
				now.kpis.city.values.library === null ? '' : String(now.kpis.city.values.library)
			);
			compared = true;
		}
		expect(compared).toBe(true);
		await expect(page.getByTestId('kpi-attendance-value')).toHaveText(/^\d+,\d\s?%$/);
		await page.screenshot({ path: `test-results/wall-${size.name}.png` });
	});
}

test('a full rotation through districts and back to the city, with no request to another origin', async ({
	page
}) => {
	test.setTimeout(120_000);
	const requests: string[] = [];
	page.on('request', (r) => requests.push(r.url()));
	await page.setViewportSize({ width: 1920, height: 1080 });
	await openWall(page, '?rotate=city,ninh-kieu,co-do&dwell=5');
	const wall = page.getByTestId('wall');
	await expect(wall).toHaveAttribute('data-focus', 'ninh-kieu', { timeout: 15_000 });
	await expect(page.getByTestId('area-name')).toHaveText('Ninh Kiều');
	await expect(page.getByTestId('rotation')).toContainText('Ninh Kiều (2/3)');
	await expect(wall).toHaveAttribute('data-focus', 'co-do', { timeout: 15_000 });
	await page.waitForTimeout(3000); // the flight ends
	await page.screenshot({ path: 'test-results/wall-rotation-co-do.png' });
	await expect(wall).toHaveAttribute('data-focus', 'city', { timeout: 15_000 });
	const origin = new URL(page.url()).origin;
	expect(requests.length).toBeGreaterThan(5);
	expect(
		requests.filter(
			(u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')
		)
	).toEqual([]);

	// a person handling the map pauses the rotation (a tap on a district opens its page instead)
	const box = (await page.getByTestId('wall-map').boundingBox())!;
	await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
	await page.mouse.wheel(0, -120);
	await expect(page.getByTestId('rotation')).toContainText(/Tạm dừng/);
	const before = await wall.getAttribute('data-focus');
	await page.waitForTimeout(7000);
	expect(await wall.getAttribute('data-focus')).toBe(before);
});

test('tapping a school on the map shows its card with its status and numbers', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await openWall(page);
	const map = page.getByTestId('wall-map');
	const box = (await map.boundingBox())!;
	// an isolated school, so the tap can only mean it
	const schools = await page.evaluate(() =>
		[...document.querySelectorAll('[data-testid=school-table] tr[data-school]')].map((tr) => ({
			id: tr.getAttribute('data-school')!,
			name: tr.querySelector('td')!.textContent!,
			lon: Number(tr.getAttribute('data-lon')),
			lat: Number(tr.getAttribute('data-lat'))
		}))
	);
	const xy = await Promise.all(schools.map((s) => project(page, s.lon, s.lat)));
	const i = xy.findIndex(
		(p, j) =>
			p[0] > 400 &&
			p[1] > 200 &&
			p[0] < box.width - 50 &&
			p[1] < box.height - 100 &&
			xy.every((o, m) => m === j || Math.hypot(o[0] - p[0], o[1] - p[1]) > 30)
	);
	expect(i).toBeGreaterThanOrEqual(0);
	const card = page.getByTestId('school-card');
	// software WebGL on a busy machine can miss a tap that lands mid-redraw: tap again, like a person would
	await expect(async () => {
		await page.evaluate(() =>
			(window as unknown as { __wallMap: { idle(): Promise<void> } }).__wallMap.idle()
		);
		await map.click({ position: { x: xy[i][0], y: xy[i][1] } });
		await expect(card).toHaveAttribute('data-school', schools[i].id, { timeout: 3000 });
	}).toPass({ timeout: 20_000 });
	await expect(card).toContainText(schools[i].name);
	await expect(card).toContainText('Chuyên cần');
	await page.screenshot({ path: 'test-results/wall-school-card.png' });
	await card.getByRole('button').click();
	await expect(card).toHaveCount(0);
});

test('bad kiosk parameters are explained on the wall, not a 500', async ({ page }) => {
	const r = await page.goto('/wall?rotate=atlantis,ninh-kieu&dwell=-4');
	expect(r?.status()).toBe(200);
	await expect(page.getByTestId('kiosk-problems')).toContainText('atlantis');
	await expect(page.getByTestId('kiosk-problems')).toContainText('dwell');
	// the live endpoint names an unknown topic instead of streaming nothing
	const live = await page.request.get('/api/live?topics=wall.kpis,nope');
	expect(live.status()).toBe(400);
	expect((await live.json()).message).toContain('unknown topic(s): nope');
});

test('each KPI definition is one tap away, in Vietnamese and English', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto('/wall');
	await page
		.getByTestId('kpi-attendance')
		.getByRole('button', { name: 'Định nghĩa chỉ số' })
		.click();
	const help = page.getByTestId('help');
	await expect(help).toBeVisible();
	await expect(help).toContainText('Tỷ lệ chuyên cần = số học sinh có mặt ÷ sĩ số');
	await expect(help).toContainText('được tính là không hoạt động');
	await help.getByRole('button', { name: 'Đóng' }).click();
	await page.getByTestId('lang-switch').click();
	await expect(page).toHaveURL(/lang=en/);
	await page.getByTestId('kpi-uptime').getByRole('button', { name: 'KPI definitions' }).click();
	await expect(help).toContainText('A device with no heartbeat for its interval counts as down');
	await expect(page.getByTestId('kpi-attendance')).toContainText('Attendance today');
});
