/**
 * The weekly digest on the admin's console: a district's last week sent now to its contact (the
 * admin, made its escalation contact for the test), seen in the delivery log as that week's digest
 * with a link to the district page for that week. The e2e server has no SMTP: the mail fails there
 * with its reason, which is what an admin without SMTP_URL sees.
 */
import { expect, test } from '@playwright/test';
import { TEST_ADMIN } from '#harness/sign-in';

test('an admin sends a district its last week now and finds it in the delivery log', async ({
	page
}) => {
	await page.goto('/admin/notifications');
	const form = page.locator('form[data-testid^="escalation-"]').first();
	const district = (await form.getAttribute('data-testid'))!.replace('escalation-', '');
	const users = form.locator('select[name=users]');
	const before = await users.evaluate((s: HTMLSelectElement) =>
		[...s.selectedOptions].map((o) => o.value)
	);
	const admin = await users.locator('option', { hasText: TEST_ADMIN.email }).getAttribute('value');
	await users.selectOption([...before, admin!]);
	await form.getByRole('button').click();
	await expect(
		page.getByTestId('escalation-' + district).locator('select option:checked')
	).toContainText([TEST_ADMIN.email]);

	const send = page.getByTestId('digest-send');
	await send.locator('select[name=district]').selectOption(district);
	await send.getByRole('button').click();
	await expect(page.getByTestId('digest-sent')).toHaveText('Đã xếp 1 thư vào hàng gửi.');
	// a second click adds nobody: the admin already has that week
	await send.locator('select[name=district]').selectOption(district);
	await send.getByRole('button').click();
	await expect(page.getByTestId('digest-sent')).toHaveText('Đã xếp 0 thư vào hàng gửi.');

	await page.goto('/admin/notifications');
	const row = page.getByTestId('deliveries').locator('tr', { hasText: 'Bản tin tuần' }).first();
	await expect(row).toContainText(TEST_ADMIN.email);
	const link = row.getByRole('link');
	const href = (await link.getAttribute('href'))!;
	expect(href).toMatch(
		new RegExp(
			`^/districts/${district}\\?range=custom&from=\\d{4}-\\d{2}-\\d{2}&to=\\d{4}-\\d{2}-\\d{2}&compare=1$`
		)
	);
	await link.click();
	await expect(page).toHaveURL(new RegExp(`/districts/${district}\\?range=custom`));
	await expect(page.locator('h1')).toBeVisible();

	// leave the district's contacts as they were
	await page.goto('/admin/notifications');
	await page
		.getByTestId('escalation-' + district)
		.locator('select[name=users]')
		.selectOption(before);
	await page
		.getByTestId('escalation-' + district)
		.getByRole('button')
		.click();
	await expect(
		page.getByTestId('escalation-' + district).locator('select option:checked')
	).toHaveCount(before.length);
});
