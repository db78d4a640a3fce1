/**
 * The wall fed over NATS by the test itself (FEED off): an event published changes the tile and
 * the school without a reload; a stopped stream turns tiles stale with a banner; a killed and
 * restarted server is found again by the page on its own.
 */
import { expect, test, type Page } from '@playwright/test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
import type { School } from '#shared/registry';
import type { WallKpis } from '#shared/wall';
import { attendance, heartbeats } from '#harness/events';
import { startNatsServer, type NatsServer } from '#harness/nats-server';
import { publishAll } from '#harness/publish';
import { appServer, type AppServer } from '#harness/app-server';

const STALE_S = 6;
const seed = JSON.parse(
	readFileSync(
		new URL('../../src/lib/server/platform/registry/seed/schools.json', import.meta.url),
		'utf8'
	)
) as School[];
const schools = seed.filter((s) => (s.devices ?? 0) > 0).slice(0, 40);
const target = schools[7];

let nats: NatsServer;
let nc: NatsConnection;
let app: AppServer;
let beat: ReturnType<typeof setInterval> | null = null;
let n = 0;

/** Heartbeats of the 40 schools every second: a live stream. */
function startBeating() {
	stopBeating();
	beat = setInterval(
		() => void publishAll(nc, heartbeats(schools, Date.now(), `b${n++}`)).catch(() => undefined),
		1000
	);
}
function stopBeating() {
	if (beat) clearInterval(beat);
	beat = null;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(180_000);
	nats = await startNatsServer();
	nc = await connect({ servers: nats.url });
	app = await appServer({ NATS_URL: nats.url, FEED: '0', WALL_STALE_SECONDS: String(STALE_S) });
	await app.start();
	const now = Date.now();
	// this morning's roll call, and the last 16 minutes of heartbeats (uptime looks at the last 15 full minutes)
	const past = Array.from({ length: 16 }, (_, m) =>
		heartbeats(schools, now - (m + 1) * 60_000, `m${m}`)
	).flat();
	await publishAll(nc, [
		...schools.map((s, i) => attendance(s, now, 'base', 40, 39 - (i % 3))),
		...past
	]);
	startBeating();
});

test.afterAll(async () => {
	stopBeating();
	await nc?.close();
	await app?.stop();
	await nats?.stop();
});

async function kpis(): Promise<WallKpis> {
	return (
		(await (await fetch(`${app.url}/api/wall`, { headers: { cookie: app.cookie } })).json()) as {
			kpis: WallKpis;
		}
	).kpis;
}
const tileValue = (page: Page, kpi: string) =>
	page.getByTestId(`kpi-${kpi}`).getAttribute('data-value');

test('an event published on NATS changes the tile and the school within seconds, without a reload', async ({
	page
}) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page
		.context()
		.addCookies([{ name: 'edu_session', value: app.cookie.split('=')[1], url: app.url }]);
	await page.goto(`${app.url}/wall`);
	await expect(page.getByTestId('connection')).toHaveText('Trực tiếp');
	await expect(page.getByTestId('kpi-uptime')).toHaveAttribute('data-stale', '0', {
		timeout: 20_000
	});
	const row = page.locator(`[data-school="${target.school_id}"]`);
	await expect(row).toHaveAttribute('data-status', 'good', { timeout: 20_000 });
	const before = Number(await tileValue(page, 'attendance'));
	expect(before).toBeGreaterThan(0.9);
	// a marker that a reload would wipe
	await page.evaluate(
		() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true)
	);

	// a roll call at the target school: 10 of 40 present
	const t0 = Date.now();
	await publishAll(nc, [attendance(target, Date.now(), 'low', 40, 10)]);
	await expect(row).toHaveAttribute('data-status', 'alert', { timeout: 10_000 });
	await expect
		.poll(async () => Number(await tileValue(page, 'attendance')), { timeout: 10_000 })
		.toBeLessThan(before);
	const took = Date.now() - t0;
	// the tile equals the server's computation: (Σ present) / (Σ enrolled) over all reports
	const k = await kpis();
	const c = k.city.counts.attendance;
	expect(c.present / c.enrolled).toBeCloseTo(Number(await tileValue(page, 'attendance')), 3);
	expect(k.schools.find((s) => s[0] === target.school_id)?.[1]).toBe('alert');
	expect(took).toBeLessThan(10_000);
	expect(
		await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)
	).toBe(true);
	await page.screenshot({ path: 'test-results/wall-live-alert.png' });
});

test('a stopped stream turns the tiles stale and says since when; a killed server is found again by itself', async ({
	page
}) => {
	test.setTimeout(180_000);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page
		.context()
		.addCookies([{ name: 'edu_session', value: app.cookie.split('=')[1], url: app.url }]);
	await page.goto(`${app.url}/wall`);
	await expect(page.getByTestId('kpi-uptime')).toHaveAttribute('data-stale', '0', {
		timeout: 20_000
	});
	await expect(page.getByTestId('stale-banner')).toHaveCount(0);
	await page.evaluate(
		() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true)
	);

	// the stream stops
	stopBeating();
	const banner = page.getByTestId('stale-banner');
	await expect(banner).toContainText('Luồng dữ liệu đã dừng', { timeout: (STALE_S + 10) * 1000 });
	await expect(banner).toContainText(/từ \d\d:\d\d:\d\d/);
	for (const kpi of ['attendance', 'uptime', 'library', 'completeness'])
		await expect(page.getByTestId(`kpi-${kpi}`)).toHaveAttribute('data-stale', '1');
	await expect(page.getByTestId('kpi-uptime')).toContainText('DỮ LIỆU CŨ');
	await expect(page.getByTestId('ticker')).toContainText('Luồng dữ liệu dừng');
	await expect(page.getByTestId('connection')).toHaveText('Luồng dữ liệu dừng');
	await page.screenshot({ path: 'test-results/wall-stale.png' });

	// nothing changes on the map now: it must not redraw (health frames still arrive every tick)
	const renders = () =>
		page.evaluate(() =>
			(window as unknown as { __wallMap: { renders(): number } }).__wallMap.renders()
		);
	const r0 = await renders();
	await page.waitForTimeout(5000);
	// at most a redraw for a minute turning over (the uptime window moves), not one per tick
	expect((await renders()) - r0).toBeLessThanOrEqual(3);

	// the server dies
	await app.kill();
	await expect(page.getByTestId('connection')).toHaveText('Mất kết nối', { timeout: 20_000 });
	await expect(banner).toContainText('Mất kết nối tới máy chủ');
	await page.screenshot({ path: 'test-results/wall-disconnected.png' });

	// and comes back; the stream resumes; the page recovers with no reload
	await app.start();
	startBeating();
	await expect(page.getByTestId('connection')).toHaveText('Trực tiếp', { timeout: 60_000 });
	await expect(banner).toHaveCount(0, { timeout: 30_000 });
	await expect(page.getByTestId('kpi-uptime')).toHaveAttribute('data-stale', '0', {
		timeout: 30_000
	});
	expect(
		await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)
	).toBe(true);
	// numbers survived the restart: they are the stored ones, not zeros
	expect(Number(await tileValue(page, 'attendance'))).toBeGreaterThan(0.5);
});
