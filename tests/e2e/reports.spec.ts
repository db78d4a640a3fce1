/**
 * Reports in Chromium: the admin asks for the yearly Plan 83 report on /reports, follows it while
 * it is made and downloads a PDF whose text has the national heading and the plan's sections, and
 * a DOCX holding the same; a bad request is refused with a message and makes nothing; another
 * account cannot fetch the admin's files. The pages are shot at 1080p, 4K and on a phone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { signIn } from '#harness/sign-in';

const dir = mkdtempSync(path.join(tmpdir(), 'edu-e2e-reports-'));
const year = String(new Date(Date.now() + 7 * 3_600_000).getUTCFullYear());

test.describe.configure({ mode: 'serial' });
let jobId = '';

test('an admin makes the yearly Plan 83 report and downloads its PDF and DOCX', async ({
	page
}) => {
	test.setTimeout(180_000);
	await page.goto('/');
	await page.getByTestId('reports-link').click();
	await expect(page).toHaveURL(/\/reports$/);
	await page.getByLabel('Báo cáo năm thực hiện Kế hoạch 83').check();
	await page.getByTestId('year').selectOption(year);
	await page.getByTestId('district').selectOption('');
	await page.getByRole('button', { name: 'Lập báo cáo' }).click();
	await expect(page).toHaveURL(/\/reports\?job=/);
	jobId = new URL(page.url()).searchParams.get('job')!;
	const job = page.locator(`[data-job="${jobId}"]`);
	await expect(job).toContainText(`Báo cáo năm thực hiện Kế hoạch 83 · ${year} · Toàn thành phố`);
	// the page follows the job by itself until it is done
	await expect(job).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
	await expect(job.getByRole('status')).toContainText(/Xong \(\d+ trang/);
	for (const [w, h] of [
		[1920, 1080],
		[3840, 2160]
	]) {
		await page.setViewportSize({ width: w, height: h });
		await page.screenshot({ path: `test-results/reports-${w}.png`, fullPage: true });
	}

	const pdf = await page.request.get(`/reports/${jobId}/pdf`);
	expect(pdf.status()).toBe(200);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	expect(pdf.headers()['content-disposition']).toContain(`bao-cao-ke-hoach-83-${year}.pdf`);
	const pdfFile = path.join(dir, 'plan.pdf');
	writeFileSync(pdfFile, await pdf.body());
	const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' })
		.normalize('NFC')
		.replace(/\s+/g, ' ');
	for (const s of [
		'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
		'Độc lập - Tự do - Hạnh phúc',
		'SỞ GIÁO DỤC VÀ ĐÀO TẠO',
		`Kết quả thực hiện Kế hoạch số 83/KH-UBND năm ${year}`,
		'Kính gửi: Ủy ban nhân dân thành phố Cần Thơ.',
		'Xây dựng hệ thống thư viện điện tử cho các trường phổ thông',
		'Ninh Kiều',
		'Cờ Đỏ',
		'Nơi nhận:'
	])
		expect(text).toContain(s);
	// its pages as pictures, to look at
	execFileSync('pdftoppm', ['-r', '50', '-png', '-l', '3', pdfFile, 'test-results/report-page']);

	const docx = await page.request.get(`/reports/${jobId}/docx`);
	expect(docx.status()).toBe(200);
	const docxFile = path.join(dir, 'plan.docx');
	writeFileSync(docxFile, await docx.body());
	const xml = execFileSync('unzip', ['-p', docxFile, 'word/document.xml'], {
		encoding: 'utf8',
		maxBuffer: 64 << 20
	}).normalize('NFC');
	expect(xml).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
	expect(xml).toContain('Trường THCS An Thới');
});

test('a bad request gets a message and makes nothing; a report is its asker’s alone', async ({
	page,
	browser,
	baseURL
}) => {
	await page.goto('/reports');
	const before = await page.locator('[data-job]').count();
	await page.getByLabel('Báo cáo quận, huyện').check();
	await page.locator('input[name=from]').fill('2026-11-30');
	await page.locator('input[name=to]').fill('2026-11-01');
	await page.getByRole('button', { name: 'Lập báo cáo' }).click();
	await expect(page.getByTestId('report-error')).toContainText('đứng trước ngày bắt đầu');
	await expect(page.locator('[data-job]')).toHaveCount(before);
	// an unknown format, and a job that is not there
	expect((await page.request.get(`/reports/${jobId}/odt`)).status()).toBe(400);
	expect((await page.request.get('/reports/nosuchjob/pdf')).status()).toBe(404);

	// the phone: one column, the form and the list
	const phone = await browser.newContext({
		viewport: { width: 390, height: 844 },
		deviceScaleFactor: 2,
		isMobile: true,
		hasTouch: true,
		storageState: await page.context().storageState()
	});
	const p = await phone.newPage();
	await p.goto('/reports');
	await expect(p.locator(`[data-job="${jobId}"]`)).toHaveAttribute('data-state', 'done');
	await p.screenshot({ path: 'test-results/reports-phone.png', fullPage: true });
	await phone.close();

	// no session: sent to sign in; another analyst: the job's id opens nothing (404, as unknown)
	const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
	const r = await other.request.get(`/reports/${jobId}/pdf`, { maxRedirects: 0 });
	expect(r.status()).toBe(303);
	await other.close();
	await page.goto('/admin/users');
	const email = `analyst.reports.${Date.now().toString(36)}@so-gddt.cantho.vn`;
	const create = page.locator('form.create');
	await create.getByLabel('Email').fill(email);
	await create.getByLabel('Tên').fill('Chuyên viên thử báo cáo');
	await create.getByLabel('Vai trò').selectOption('analyst');
	await create.getByRole('button', { name: 'Tạo' }).click();
	const password = (await page.getByTestId('new-password').locator('code').textContent())!;
	const { header } = await signIn(baseURL!, { email, password });
	for (const u of [`/reports/${jobId}/pdf`, `/reports/${jobId}`]) {
		const res = await fetch(new URL(u, baseURL), { headers: { cookie: header } });
		expect(res.status, u).toBe(404);
	}
	const own = await fetch(new URL('/reports', baseURL), { headers: { cookie: header } });
	expect(await own.text()).not.toContain(jobId);
});

test('an analyst scoped to Cờ Đỏ is offered Cờ Đỏ only, and refused elsewhere with a message', async ({
	page,
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	await page.goto('/admin/users');
	const email = `analyst.codo.reports.${Date.now().toString(36)}@codo.cantho.vn`;
	const create = page.locator('form.create');
	await create.getByLabel('Email').fill(email);
	await create.getByLabel('Tên').fill('Chuyên viên Phòng GD&ĐT Cờ Đỏ');
	await create.getByLabel('Vai trò').selectOption('analyst');
	await create.getByLabel('Phạm vi').selectOption('district:co-do');
	await create.getByRole('button', { name: 'Tạo' }).click();
	const password = (await page.getByTestId('new-password').locator('code').textContent())!;
	const { value } = await signIn(baseURL!, { email, password });
	const ctx = await browser.newContext({
		storageState: {
			cookies: [
				{
					name: 'edu_session',
					value,
					domain: '127.0.0.1',
					path: '/',
					expires: -1,
					httpOnly: true,
					secure: false,
					sameSite: 'Lax'
				}
			],
			origins: []
		}
	});
	const p = await ctx.newPage();
	await p.goto('/reports');
	await expect(p.getByTestId('scope-line')).toContainText('Cờ Đỏ');
	// the yearly report: Cờ Đỏ's own, no "whole city" to choose
	await expect(p.getByTestId('district').locator('option')).toHaveText(['Cờ Đỏ']);
	await p.getByLabel('Báo cáo quận, huyện').check();
	await expect(p.getByTestId('district').locator('option')).toHaveText(['Cờ Đỏ']);
	await p.getByRole('button', { name: 'Lập báo cáo' }).click();
	const job = p.locator('[data-job]').first();
	await expect(job).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
	await expect(job).toContainText('Báo cáo quận, huyện');
	await expect(job).toContainText('Cờ Đỏ');
	// the form bypassed: another district, and the whole city, are refused with a message
	for (const [form, status, text] of [
		[{ kind: 'district', district: 'ninh-kieu', range: '30d' }, 404, 'Không có quận, huyện'],
		[{ kind: 'plan83', year: '2026' }, 400, 'chỉ xem được Cờ Đỏ']
	] as const) {
		const r = await fetch(new URL('/reports', baseURL), {
			method: 'POST',
			redirect: 'manual',
			headers: {
				cookie: `edu_session=${value}`,
				origin: baseURL!,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams(form).toString()
		});
		expect(r.status, JSON.stringify(form)).toBe(status);
		expect(await r.text()).toContain(text);
	}
	await p.screenshot({ path: 'test-results/reports-scoped.png', fullPage: true });
	await ctx.close();
});
