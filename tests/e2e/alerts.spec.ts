/**
 * The alert workflow in the product: an admin tightens a rule and alerts fire at once; the wall's
 * rings and ticker show them live; an operator acknowledges one with a keystroke and writes a
 * note; the admin relaxes the rule and the alerts resolve by themselves.
 */
import { expect, test, type Page } from '@playwright/test';

const firing = (wall: Page) =>
	wall.getByTestId('wall').getAttribute('data-alerts-firing').then(Number);
const acked = (wall: Page) =>
	wall.getByTestId('wall').getAttribute('data-alerts-acked').then(Number);

test('tighten a rule: alerts fire on the wall and in the console; an operator acknowledges; relaxing it resolves them', async ({
	page,
	browser,
	baseURL
}) => {
	test.setTimeout(180_000);
	// an operator account (the admin creates it)
	await page.goto('/admin/users');
	const email = `truc-ban.${Date.now().toString(36)}@so-gddt.cantho.vn`;
	const create = page.locator('form.create');
	await create.getByLabel('Email').fill(email);
	await create.getByLabel('Tên').fill('Trực ban Lan');
	await create.getByLabel('Vai trò').selectOption('operator');
	await create.getByRole('button', { name: 'Tạo' }).click();
	const password = (await page.getByTestId('new-password').locator('code').textContent())!;

	// the wall, watching
	const wallCtx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
	const wall = await wallCtx.newPage();
	await wallCtx.addCookies(await page.context().cookies());
	await wall.goto('/wall');
	await expect(wall.getByTestId('wall-map')).toHaveAttribute('data-ready', '1', {
		timeout: 60_000
	});
	const before = await firing(wall);

	// the admin keeps one rule on (so this story is not mixed with the demo's other alerts) …
	await page.goto('/alerts/rules');
	for (const other of [
		'attendance_missing',
		'attendance_low',
		'uptime_low',
		'school_silent',
		'library_silent',
		'rejects_spike'
	]) {
		const f = page.locator(`form[data-rule=${other}]`);
		await f.locator('input[name=enabled]').uncheck();
		await f.getByRole('button', { name: 'Lưu' }).click();
		await expect(page.getByTestId('rule-saved')).toBeVisible();
	}
	// the rules turned off closed what they had opened: only "sector data" alerts are open now
	const openByRule = async () =>
		(
			(await (await page.request.get('/api/ioc/alerts')).json()) as {
				alerts: { rule_id: string }[];
			}
		).alerts.map((a) => a.rule_id);
	await expect
		.poll(async () => (await openByRule()).filter((r) => r !== 'completeness_low').length, {
			timeout: 20_000
		})
		.toBe(0);
	const n0 = (await openByRule()).length;
	// … and tightens "sector data complete" to 99.9 %: saved, evaluated at once
	const rule = page.locator('form[data-rule=completeness_low]');
	await rule.locator('input[name=below]').fill('0.999');
	await rule.getByRole('button', { name: 'Lưu' }).click();
	await expect(page.getByTestId('rule-saved')).toContainText('Dữ liệu ngành thiếu');
	await expect(page.getByTestId('alerts-health')).toContainText(
		'NATS: skipped (embedded mode: no NATS)'
	);

	// the wall shows them live: rings on the map, the alert in the ticker
	await expect
		.poll(async () => (await openByRule()).length, { timeout: 20_000 })
		.toBeGreaterThan(n0);
	await expect.poll(() => firing(wall), { timeout: 20_000 }).toBeGreaterThan(before);
	await expect(wall.getByTestId('wall').locator('.bottom')).toContainText(
		'Dữ liệu ngành thiếu hoặc quá hạn đồng bộ'
	);
	await wall.screenshot({ path: 'test-results/wall-alerts-1080p.png' });

	// the operator signs in, opens the console, acknowledges the first with one key, writes a note
	const opCtx = await browser.newContext({
		storageState: { cookies: [], origins: [] },
		viewport: { width: 1920, height: 1080 }
	});
	const op = await opCtx.newPage();
	await op.goto('/login?next=/alerts');
	await op.getByLabel('Email').fill(email);
	await op.getByLabel('Mật khẩu').fill(password);
	await op.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(op.getByTestId('alerts-live')).toHaveClass(/on/, { timeout: 15_000 });
	const rows = op.getByTestId('alerts').locator('tbody tr[data-alert]');
	await expect(rows.first()).toBeVisible();
	const id = await rows.first().getAttribute('data-alert');
	await op.locator(`tr[data-alert="${id}"]`).click();
	const firingNow = await firing(wall);
	const ackedBefore = await acked(wall);
	await op.keyboard.press('a');
	await expect(op.locator(`tr[data-alert="${id}"]`)).toHaveAttribute('data-state', 'acknowledged');
	await op.keyboard.press('c');
	await op.keyboard.type('Đã gọi điện cho nhà trường, sẽ cập nhật trước 16:00');
	await op.keyboard.press('Enter');
	await expect(op.getByTestId('note')).toHaveValue('');
	// the wall's ring for it changed from firing to acknowledged, live (the schedule may open others meanwhile)
	await expect.poll(() => acked(wall), { timeout: 15_000 }).toBe(ackedBefore + 1);
	await op.screenshot({ path: 'test-results/alerts-console-1080p.png' });
	// an operator cannot change the rules
	expect((await op.request.get('/alerts/rules', { maxRedirects: 0 })).status()).toBe(303);

	// the admin relaxes the rule: the alerts it opened resolve by themselves, the acknowledged one too
	await rule.locator('input[name=below]').fill('0.5');
	await rule.getByRole('button', { name: 'Lưu' }).click();
	await expect(page.getByTestId('rule-saved')).toBeVisible();
	await op.goto(`/alerts?state=resolved`);
	await expect(op.locator(`tr[data-alert="${id}"]`)).toHaveAttribute('data-state', 'resolved');
	await expect.poll(() => firing(wall), { timeout: 20_000 }).toBeLessThan(firingNow);
	// the IOC's JSON says the same
	const json = await (await page.request.get('/api/ioc/alerts')).json();
	expect(json.alerts.find((a: { id: string }) => a.id === id)).toBeUndefined();
	// the audit log has the operator's acknowledgement and note
	await page.goto('/admin/audit');
	await expect(page.getByTestId('audit')).toContainText('alert.acknowledged');
	await expect(page.getByTestId('audit')).toContainText('alert.commented');
	// the operator signs out everywhere from the console: the session is gone
	const before2 = (await opCtx.cookies()).find((c) => c.name === 'edu_session')!.value;
	await op.goto('/alerts');
	await op.getByTestId('logout-all').click();
	await expect(op).toHaveURL(/\/login$/);
	expect(
		(await fetch(new URL('/api/wall', baseURL), { headers: { cookie: `edu_session=${before2}` } }))
			.status
	).toBe(401);
	await wallCtx.close();
	await opCtx.close();
});
