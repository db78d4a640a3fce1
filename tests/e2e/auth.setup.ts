/** Signs in once as the test admin; the other e2e tests start from this browser state. */
import { test as setup } from '@playwright/test';
import { TEST_ADMIN } from '#harness/sign-in';

export const ADMIN_STATE = 'test-results/.auth/admin.json';

setup('sign in as the admin', async ({ page }) => {
	await page.goto('/login');
	await page.getByLabel('Email').fill(TEST_ADMIN.email);
	await page.getByLabel('Mật khẩu').fill(TEST_ADMIN.password);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await page.waitForURL('**/wall');
	await page.context().storageState({ path: ADMIN_STATE });
});
