/**
 * The centre in a pocket, in Chromium with phone emulation: the operator's two taps from a
 * notification to "acknowledged with a note"; notification settings refused naming the field and
 * saved; the installed app's manifest and service worker; a page opened offline shows its last
 * numbers with their time and no live badge, and goes live again by itself; a push delivered to
 * the service worker shows a notification that opens the alert. Headless Chromium has no push
 * service (subscribing needs Google's): that step is shown to fail with a message, nothing stored.
 */
import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { TEST_ADMIN } from '#harness/sign-in';

const PHONE = {
	viewport: { width: 390, height: 844 },
	deviceScaleFactor: 3,
	isMobile: true,
	hasTouch: true
};

async function phone(browser: Browser, from: BrowserContext): Promise<BrowserContext> {
	const ctx = await browser.newContext({ ...PHONE, storageState: await from.storageState() });
	return ctx;
}

test.describe.configure({ mode: 'serial' });

test('an operator acknowledges an alert with a note in two taps on a phone', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	// a firing alert: the admin tightens the sector-data rule so some school is under it
	await page.goto('/alerts/rules');
	const rule = page.locator('form[data-rule=completeness_low]');
	const below = rule.locator('input[name=below]');
	const was = await below.inputValue();
	await below.fill('0.999');
	await rule.getByRole('button', { name: 'Lưu' }).click();
	await expect(page.getByTestId('rule-saved')).toBeVisible();
	let id = '';
	await expect
		.poll(
			async () => {
				const r = (await (await page.request.get('/api/ioc/alerts')).json()) as {
					alerts: { id: string; state: string }[];
				};
				id = r.alerts.find((a) => a.state === 'firing')?.id ?? '';
				return id;
			},
			{ timeout: 60_000 }
		)
		.not.toBe('');

	const ctx = await phone(browser, page.context());
	const p = await ctx.newPage();
	// tap one: the notification opens the alert's page (its link)
	await p.goto(`/alerts/${id}`);
	await expect(p.getByTestId('alert-state')).toHaveText('Đang cảnh báo');
	// the note field already has the focus: the note is typed, not tapped to
	await expect(p.getByTestId('note')).toBeFocused();
	await p.keyboard.type('Đã gọi hiệu trưởng');
	// tap two
	await p.getByTestId('ack').tap();
	await expect(p.getByTestId('alert-state')).toHaveText('Đã xác nhận');
	await expect(p.getByTestId('acked')).toContainText('Đã gọi hiệu trưởng');
	const button = await p.getByRole('button').first().boundingBox();
	expect(button!.height).toBeGreaterThanOrEqual(44);
	expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await p.screenshot({ path: 'test-results/notify-alert-phone.png', fullPage: true });
	// the console has it acknowledged, with the note
	await page.goto(`/alerts?state=all&id=${id}`);
	await expect(page.locator(`tr[data-alert="${id}"]`)).toContainText('Đã gọi hiệu trưởng');
	await page.goto('/alerts/rules');
	await rule.locator('input[name=below]').fill(was);
	await rule.getByRole('button', { name: 'Lưu' }).click();
	await expect(page.getByTestId('rule-saved')).toBeVisible();
	await ctx.close();
});

test('notification settings: a bad field is named and nothing is saved; good settings are kept', async ({
	page,
	browser
}) => {
	const ctx = await phone(browser, page.context());
	const p = await ctx.newPage();
	await p.goto('/settings/notifications');
	await p.locator('input[name=quiet_from]').fill('25:00');
	await p.locator('input[name=quiet_to]').fill('06:00');
	await p.getByTestId('save').tap();
	await expect(p.getByTestId('error-quiet_from')).toContainText('HH:MM');
	await p.reload();
	await expect(p.locator('input[name=quiet_from]')).toHaveValue('');
	await p.locator('input[name=quiet_from]').fill('22:00');
	await p.locator('input[name=quiet_to]').fill('06:00');
	await p.locator('input[name=severities][value=watch]').check();
	await p.locator('input[name=districts][value=ninh-kieu]').check();
	await p.locator('select[name=locale]').selectOption('en');
	await p.getByTestId('save').tap();
	// saved, and the page at once in the language chosen
	await expect(p.getByRole('status')).toHaveText('Saved.');
	await p.goto('/settings/notifications');
	// the page now speaks the chosen language, and keeps every choice
	await expect(p.getByRole('heading', { level: 1 })).toHaveText('Alert notifications');
	await expect(p.locator('input[name=quiet_from]')).toHaveValue('22:00');
	await expect(p.locator('input[name=districts][value=ninh-kieu]')).toBeChecked();
	await expect(p.locator('input[name=severities][value=watch]')).toBeChecked();
	expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await p.screenshot({ path: 'test-results/notify-settings-phone.png', fullPage: true });
	// a script-looking value is refused by the server, whatever the form allowed
	const r = await p.request.post('/settings/notifications?/save', {
		headers: { origin: new URL(p.url()).origin, 'x-sveltekit-action': 'true' },
		form: {
			channels: 'email',
			severities: 'alert',
			districts: '<script>alert(1)</script>',
			quiet_from: '',
			quiet_to: '',
			locale: 'vi'
		}
	});
	const body = await r.text();
	expect(body).toContain('districts');
	expect(body).not.toContain('<script>');
	await ctx.close();
});

test('the installed app: manifest, service worker, offline with the last numbers, live again', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	const manifest = await (await page.request.get('/manifest.webmanifest')).json();
	expect(manifest).toMatchObject({
		name: 'Trung tâm điều hành giáo dục thông minh Cần Thơ',
		display: 'standalone',
		start_url: '/',
		lang: 'vi'
	});
	for (const icon of manifest.icons as { src: string }[])
		expect((await page.request.get(icon.src)).headers()['content-type']).toBe('image/png');

	// a session of its own (it signs out at the end; the suite's admin session stays)
	const ctx = await browser.newContext({ ...PHONE, storageState: { cookies: [], origins: [] } });
	const p = await ctx.newPage();
	await p.goto('/login?next=%2Fschools%2Fct-916-001');
	await p.getByLabel('Email').fill(TEST_ADMIN.email);
	await p.getByLabel('Mật khẩu').fill(TEST_ADMIN.password);
	await p.getByRole('button', { name: 'Đăng nhập' }).tap();
	await p.waitForURL(/\/schools\/ct-916-001/);
	await p.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	// once the worker is active, a load goes through it (and the worker keeps the page)
	await p.reload();
	await expect.poll(() => p.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
	// then the connection goes
	const name = await p.getByRole('heading', { level: 1 }).textContent();
	await expect(p.getByTestId('live-badge')).toBeVisible();
	await ctx.setOffline(true);
	await p.reload();
	await expect(p.getByTestId('offline')).toHaveText(
		/^Ngoại tuyến — số liệu lúc \d\d:\d\d ngày \d\d\/\d\d$/
	);
	await expect(p.getByRole('heading', { level: 1 })).toHaveText(name!);
	await expect(p.getByTestId('live-badge')).toHaveCount(0);
	await p.screenshot({ path: 'test-results/notify-offline-phone.png' });
	// back online: live again by itself, without a reload
	await p.evaluate(() => ((window as unknown as { marker: number }).marker = 83));
	await ctx.setOffline(false);
	await expect(p.getByTestId('offline')).toHaveCount(0, { timeout: 30_000 });
	await expect(p.getByTestId('live-badge')).toBeVisible();
	expect(await p.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(83);

	// a push reaches the worker: it shows the notification, tagged by alert, with the alert's link
	await ctx.grantPermissions(['notifications']);
	const cdp = await ctx.newCDPSession(p);
	const origin = new URL(p.url()).origin;
	// the registration, once DevTools reports its worker version activated
	const registrationId = await new Promise<string>((resolve) => {
		const ours = new Set<string>();
		let activated: string | undefined;
		const settle = () => {
			if (activated && ours.has(activated)) resolve(activated);
		};
		cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
			for (const r of e.registrations)
				if (r.scopeURL.startsWith(origin)) ours.add(r.registrationId);
			settle();
		});
		cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
			const v = e.versions.find((x) => x.status === 'activated' && ours.has(x.registrationId));
			if (v) activated = v.registrationId;
			settle();
		});
		void cdp.send('ServiceWorker.enable');
	});
	const push = {
		origin,
		registrationId,
		data: JSON.stringify({
			title: '[Khẩn] Trường mất liên lạc — Trường thử',
			body: 'không nhận được dữ liệu trong 20 phút',
			url: '/alerts/aaaaaaaaaaaaaaaa',
			tag: 'alert-aaaaaaaaaaaaaaaa'
		})
	};
	const shown = () =>
		p.evaluate(async () => {
			const reg = await navigator.serviceWorker.ready;
			return (await reg.getNotifications()).map((n) => [n.title, n.tag, n.data?.url]);
		});
	// delivered again if none is shown after 5 s (CI once saw none within 15 s of one delivery);
	// the tag keeps it one notification
	await expect(async () => {
		if ((await shown()).length === 0) await cdp.send('ServiceWorker.deliverPushMessage', push);
		await expect
			.poll(shown, { timeout: 5_000 })
			.toEqual([
				[
					'[Khẩn] Trường mất liên lạc — Trường thử',
					'alert-aaaaaaaaaaaaaaaa',
					'/alerts/aaaaaaaaaaaaaaaa'
				]
			]);
	}).toPass({ timeout: 30_000 });

	// subscribing needs the browser's push service, which headless Chromium here cannot reach
	await p.goto('/settings/notifications?lang=vi');
	await p.getByRole('button', { name: 'Bật thông báo đẩy trên thiết bị này' }).tap();
	await expect(p.getByTestId('push').getByRole('alert')).toBeVisible({ timeout: 30_000 });
	await expect(p.getByTestId('push')).toContainText('Thiết bị đang nhận: 0');

	// signing out empties what the worker kept
	await p.goto('/schools/ct-916-001');
	expect(
		await p.evaluate(async () => (await (await caches.open('pages-v1')).keys()).length)
	).toBeGreaterThan(0);
	await p.evaluate(() => {
		const f = document.createElement('form');
		f.method = 'POST';
		f.action = '/logout';
		document.body.append(f);
		f.submit();
	});
	await p.waitForURL(/\/login/);
	expect(await p.evaluate(async () => (await (await caches.open('pages-v1')).keys()).length)).toBe(
		0
	);
	await ctx.close();
});
