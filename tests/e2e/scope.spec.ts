/**
 * Accounts scoped to an area, against the running product (docs/scopes.md).
 * - An admin creates a leader, an analyst and an operator scoped to Cờ Đỏ and three scoped to one
 *   Cờ Đỏ school on /admin/users; an unknown school id is refused by name.
 * - The scope × route matrix: every GET route of src/routes (read from the files, as the role ×
 *   route matrix is), with ids inside and outside each account's scope: what the role may open
 *   answers 200 inside and 404 outside (the very answer an id that does not exist gets), what it
 *   may not is refused as before.
 * - Exports hold only the scope's schools; /api/wall, /api/ioc/kpis and the live feed (an SSE
 *   read) carry only the scope's schools and district.
 * - A scoped operator cannot comment on another district's alert (answered as an unknown one).
 * - Screenshots: /admin/users on a desk and a phone, the wall and a district as a Cờ Đỏ analyst.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { listRoutes } from '#server/auth/route-list';
import { needOf } from '#server/auth/routes';
import { openStore } from '#server/store/open';
import { atLeast, type Role } from '#shared/roles';
import { areaSchema, districtResolver, schoolSchema, type Registry } from '#shared/registry';
import type { WallKpis } from '#shared/wall';
import { signIn } from '#harness/sign-in';

const seed = (f: string) =>
	JSON.parse(readFileSync(`src/lib/server/platform/registry/seed/${f}.json`, 'utf8')) as unknown[];
const reg: Registry = {
	areas: seed('areas').map((a) => areaSchema.parse(a)),
	schools: seed('schools').map((s) => schoolSchema.parse(s))
};
const districtOf = districtResolver(reg.areas);
const CO_DO = new Set(reg.schools.filter((s) => districtOf(s) === 'co-do').map((s) => s.school_id));
/** the school the school-scoped accounts see; another Cờ Đỏ school; a Ninh Kiều school */
const SCHOOL = 'ct-925-001';
const OTHER_CO_DO = 'ct-925-002';
const NINH_KIEU = 'ct-916-001';

type Kind = 'district' | 'school';
interface Account {
	role: Role;
	kind: Kind;
	email: string;
	password: string;
	cookie: string;
}
const accounts: Account[] = [];
const alertIds = { coDo: '', ninhKieu: '', school: '' };

test.describe.configure({ mode: 'serial' });

/** Create an account on /admin/users with a scope, as an admin does; returns its first password. */
async function createScoped(page: Page, role: Role, kind: Kind, email: string): Promise<string> {
	await page.goto('/admin/users');
	const create = page.locator('form.create');
	await create.getByLabel('Email').fill(email);
	await create.getByLabel('Tên').fill(`Người thử ${role} ${kind}`);
	await create.getByLabel('Vai trò').selectOption(role);
	const scope = create.getByLabel('Phạm vi');
	if (kind === 'district') await scope.selectOption('district:co-do');
	else {
		await scope.selectOption('school');
		await create.getByLabel('Trường', { exact: true }).fill(SCHOOL);
	}
	await create.getByRole('button', { name: 'Tạo' }).click();
	const shown = page.getByTestId('new-password').locator('code');
	await expect(shown).toHaveText(/^[a-z2-7]{20}$/);
	return (await shown.textContent())!;
}

test('an admin scopes accounts to Cờ Đỏ and to one of its schools; an unknown school is named', async ({
	page,
	baseURL
}) => {
	test.setTimeout(180_000);
	const stamp = Date.now().toString(36);
	for (const kind of ['district', 'school'] as const)
		for (const role of ['leader', 'analyst', 'operator'] as const) {
			const email = `${role}.${kind}.${stamp}@codo.cantho.vn`;
			const password = await createScoped(page, role, kind, email);
			const row = page.getByTestId('users').locator(`tr[data-email="${email}"]`);
			await expect(row.getByTestId('scope')).toHaveText(
				kind === 'district' ? 'Cờ Đỏ' : reg.schools.find((s) => s.school_id === SCHOOL)!.name
			);
			accounts.push({ role, kind, email, password, cookie: '' });
		}
	// the row's own form: scope the analyst to a school that does not exist → refused, by name
	const analyst = accounts.find((a) => a.role === 'analyst' && a.kind === 'district')!;
	const row = page.getByTestId('users').locator(`tr[data-email="${analyst.email}"]`);
	await row.getByLabel('Phạm vi').selectOption('school');
	await row.getByLabel('Trường', { exact: true }).fill('ct-000-999');
	await row.getByRole('button', { name: 'Lưu phạm vi' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'Không có trường "ct-000-999" trong danh mục trường.'
	);
	// … and its scope stayed Cờ Đỏ
	await expect(
		page.getByTestId('users').locator(`tr[data-email="${analyst.email}"]`).getByTestId('scope')
	).toHaveText('Cờ Đỏ');
	// an admin's row has no scope form: admins manage the whole city
	const adminRow = page.getByTestId('users').locator('tr', { hasText: 'admin@test.example' });
	await expect(adminRow.locator('form[action="?/scope"]')).toHaveCount(0);
	await expect(adminRow.getByTestId('scope')).toHaveText('Toàn thành phố');

	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.screenshot({ path: 'test-results/scope-admin-users-1080p.png', fullPage: true });
	await page.setViewportSize({ width: 390, height: 844 });
	await page.screenshot({ path: 'test-results/scope-admin-users-phone.png', fullPage: true });
	// no page wider than the phone
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

	// the audit log has each scope, by this admin
	await page.goto('/admin/audit');
	await expect(page.getByTestId('audit')).toContainText('district:co-do');
	await expect(page.getByTestId('audit')).toContainText(`school:${SCHOOL}`);

	for (const a of accounts) a.cookie = (await signIn(baseURL!, a)).header;

	// two alerts in the store, one in Cờ Đỏ (at the scoped school), one in Ninh Kiều: the
	// console's own rows (the evaluator may resolve them later; the routes answer either way)
	const store = await openStore({ dataDir: process.env.E2E_DATA_DIR! });
	try {
		const now = Date.now();
		const row = (id: string, school: string, district: string) => ({
			id,
			rule_id: 'school_silent' as const,
			school_id: school,
			district_id: district,
			state: 'firing' as const,
			severity: 'alert' as const,
			opened_at: now,
			last_fired_at: now,
			fired_count: 1,
			value: null,
			detail: 'scope test',
			acked_by: '',
			acked_at: 0,
			ack_note: '',
			resolved_at: 0,
			resolved_by: '',
			resolve_note: '',
			escalated_at: 0,
			detail_args: ''
		});
		alertIds.school = `scopea${stamp}`.replace(/[^a-z2-7]/g, 'a').slice(0, 24);
		alertIds.coDo = `scopeb${stamp}`.replace(/[^a-z2-7]/g, 'b').slice(0, 24);
		alertIds.ninhKieu = `scopec${stamp}`.replace(/[^a-z2-7]/g, 'c').slice(0, 24);
		await store.db
			.insertInto('alerts')
			.values([
				row(alertIds.school, SCHOOL, 'co-do'),
				row(alertIds.coDo, OTHER_CO_DO, 'co-do'),
				row(alertIds.ninhKieu, NINH_KIEU, 'ninh-kieu')
			])
			.execute();
	} finally {
		await store.close();
	}
});

/** The URLs a route is tried at, each with whether it lies inside the account's scope. */
function urlsOf(
	id: string,
	kind: Kind
): { path: string; inside: boolean; outsideStatus?: number }[] {
	const schoolInside = (s: string) => (kind === 'district' ? CO_DO.has(s) : s === SCHOOL);
	const districtInside = (d: string) => kind === 'district' && d === 'co-do';
	const at = `at=${encodeURIComponent(minutesAgo(30))}`;
	const out: { path: string; inside: boolean; outsideStatus?: number }[] = [];
	const both = (path: string, inside: boolean, outsideStatus?: number) => {
		out.push({ path, inside, outsideStatus });
		if (/^\/(wall|districts\/[^/]+|schools\/[^/]+)$/.test(path.split('?')[0]))
			out.push({ path: `${path}${path.includes('?') ? '&' : '?'}${at}`, inside, outsideStatus });
	};
	if (id.includes('/districts/[id]') || id === '/embed/district/[id]') {
		for (const d of ['co-do', 'ninh-kieu'])
			both(id.replace('[id]', d).replace('/export.csv', '/export.csv?range=7d'), districtInside(d));
	} else if (id.startsWith('/schools/[id]')) {
		for (const s of [SCHOOL, OTHER_CO_DO, NINH_KIEU])
			both(id.replace('[id]', s).replace('[table]', 'devices'), schoolInside(s));
	} else if (id === '/embed/kpi/[kpi]') {
		both('/embed/kpi/attendance', true);
		for (const d of ['co-do', 'ninh-kieu'])
			both(`/embed/kpi/attendance?district=${d}`, districtInside(d));
	} else if (id === '/alerts/[id]') {
		both(`/alerts/${alertIds.school}`, true);
		both(`/alerts/${alertIds.coDo}`, kind === 'district');
		both(`/alerts/${alertIds.ninhKieu}`, false);
	} else if (id === '/plan83' || id === '/plan83/export.csv') {
		// plan 83 names a district in its filter: one outside the scope is refused as an unknown one (400)
		both(id, true);
		for (const d of ['co-do', 'ninh-kieu']) both(`${id}?district=${d}`, districtInside(d), 400);
	} else if (id.startsWith('/reports/[job]')) {
		// a report job is its asker's alone: one that is not theirs answers as an unknown one
		// (tests/e2e/reports.spec.ts makes one and tries it as another account)
		both(id.replace('[job]', 'nosuchjob').replace('[format]', 'pdf'), false);
	} else if (id === '/api/wall/replay') both(`${id}?${at}`, true);
	else both(id, true);
	return out;
}
function minutesAgo(m: number): string {
	const d = new Date(Date.now() - m * 60_000 + 7 * 3600_000);
	return d.toISOString().slice(0, 16);
}

test('scope × route: 200 inside the scope, 404 outside (as for an id that does not exist)', async ({
	baseURL
}) => {
	test.setTimeout(420_000);
	const wrong: string[] = [];
	let cells = 0;
	const routes = listRoutes().filter((r) => r.methods.includes('GET'));
	for (const route of routes)
		for (const a of accounts)
			for (const { path, inside, outsideStatus = 404 } of urlsOf(route.id, a.kind)) {
				const url = new URL(path, baseURL);
				const need = needOf(route.id, 'GET', url)!;
				const ctl = new AbortController();
				const r = await fetch(url, {
					redirect: 'manual',
					signal: ctl.signal,
					headers: { cookie: a.cookie, accept: 'text/html' }
				});
				const body = route.id === '/api/live' ? '' : await r.text();
				ctl.abort(); // the live stream never ends
				cells++;
				const byRole = need === 'public' || atLeast(a.role, need);
				const want = !byRole ? 'refused' : inside ? 200 : outsideStatus;
				const got =
					r.status === 401 ||
					r.status === 403 ||
					(r.status === 303 && /\/login\?/.test(r.headers.get('location') ?? ''))
						? 'refused'
						: r.status;
				if (got !== want)
					wrong.push(`GET ${path} as ${a.role} of ${a.kind}: ${r.status} (want ${want})`);
				// outside: the message of an id that does not exist, naming the id asked
				if (byRole && !inside && outsideStatus === 404 && r.status === 404) {
					const id = path.split('/')[2].split('?')[0];
					const known = route.id.startsWith('/schools')
						? `Không có trường mã "${id}".`
						: route.id.startsWith('/districts')
							? `Không có quận, huyện mã "${id}".`
							: null;
					const text = body.replaceAll('&quot;', '"').replaceAll('&#34;', '"');
					if (known && !text.includes(known))
						wrong.push(`GET ${path} as ${a.role} of ${a.kind}: 404 without "${known}"`);
				}
			}
	// the same answer for a district that does not exist
	const analyst = accounts.find((a) => a.role === 'analyst' && a.kind === 'district')!;
	const none = await fetch(new URL('/districts/khong-co', baseURL), {
		headers: { cookie: analyst.cookie, accept: 'text/html' }
	});
	expect(none.status).toBe(404);
	console.log(`scope × route matrix: ${routes.length} routes, ${cells} requests`);
	expect(wrong).toEqual([]);
	expect(cells).toBeGreaterThan(250);
});

/** A CSV export's rows under its header (after the "about" lines and the blank line). */
function csvTable(text: string): { header: string[]; rows: string[][] } {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	const s = text.replace(/^\uFEFF/, '');
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (quoted) {
			if (c === '"' && s[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(cell);
			cell = '';
		} else if (c === '\n') {
			row.push(cell.replace(/\r$/, ''));
			rows.push(row);
			row = [];
			cell = '';
		} else cell += c;
	}
	const blank = rows.findIndex((r) => r.length === 1 && r[0] === '');
	const [header, ...body] = rows.slice(blank + 1);
	return { header, rows: body };
}

test("exports hold only the scope's schools; the JSON API and the live feed only its area", async ({
	baseURL
}) => {
	test.setTimeout(180_000);
	const as = (kind: Kind, role: Role = 'analyst') =>
		accounts.find((a) => a.kind === kind && a.role === role)!;
	const get = (path: string, a: Account) =>
		fetch(new URL(path, baseURL), { headers: { cookie: a.cookie } });
	const district = as('district');

	// the district's schools table: every Cờ Đỏ school, nothing else
	const schools = csvTable(
		await (await get('/districts/co-do/export.csv?range=7d', district)).text()
	);
	const ids = schools.rows.map((r) => r[schools.header.indexOf('school_id')]);
	expect(ids.length).toBe(CO_DO.size);
	expect(ids.filter((x) => !CO_DO.has(x))).toEqual([]);
	// the attendance reports: rows of Cờ Đỏ schools only
	const reports = csvTable(
		await (await get('/districts/co-do/reports.csv?range=7d', district)).text()
	);
	const reportIds = new Set(reports.rows.map((r) => r[reports.header.indexOf('school_id')]));
	expect(reports.rows.length).toBeGreaterThan(0);
	expect([...reportIds].filter((x) => !CO_DO.has(x))).toEqual([]);
	// plan 83: the districts' rows and the missing schools are Cờ Đỏ's
	const plan = csvTable(await (await get('/plan83/export.csv?table=districts', district)).text());
	expect(new Set(plan.rows.map((r) => r[plan.header.indexOf('district_id')]))).toEqual(
		new Set(['co-do'])
	);
	const missing = csvTable(
		await (await get('/plan83/export.csv?table=missing&item=multimedia', district)).text()
	);
	expect(
		missing.rows.map((r) => r[missing.header.indexOf('school_id')]).filter((x) => !CO_DO.has(x))
	).toEqual([]);
	// a school account's device table is its school's
	const devices = await get(`/schools/${SCHOOL}/devices.csv`, as('school'));
	expect(devices.status).toBe(200);
	const other = await get(`/schools/${OTHER_CO_DO}/devices.csv`, as('school'));
	expect(other.status).toBe(404);
	expect(((await other.json()) as { message: string }).message).toBe(
		`Không có trường mã "${OTHER_CO_DO}".`
	);

	// the IOC JSON: Cờ Đỏ's schools and district, no city figure; one school: that school only
	type Ioc = { city?: unknown; districts: Record<string, unknown>; schools: { id: string }[] };
	const ioc = (await (await get('/api/ioc/kpis', as('district', 'leader'))).json()) as Ioc;
	expect(ioc.city).toBeUndefined();
	expect(Object.keys(ioc.districts)).toEqual(['co-do']);
	expect(ioc.schools.length).toBe(CO_DO.size);
	expect(ioc.schools.filter((s) => !CO_DO.has(s.id))).toEqual([]);
	const ioc1 = (await (await get('/api/ioc/kpis', as('school', 'leader'))).json()) as Ioc;
	expect(ioc1.schools.map((s) => s.id)).toEqual([SCHOOL]);
	expect(ioc1.districts).toEqual({});
	// the open alerts: none of Ninh Kiều's
	const iocAlerts = (await (await get('/api/ioc/alerts', district)).json()) as {
		alerts: { district_id: string }[];
	};
	expect(iocAlerts.alerts.filter((x) => x.district_id !== 'co-do')).toEqual([]);

	// /api/wall: the scope's "city" is Cờ Đỏ (its own sums, the city-wide district row)
	const wall = (await (await get('/api/wall', district)).json()) as { kpis: WallKpis };
	expect(wall.kpis.schools.map((s) => s[0]).filter((x) => !CO_DO.has(x))).toEqual([]);
	expect(Object.keys(wall.kpis.districts)).toEqual(['co-do']);
	expect(wall.kpis.city.counts.schools).toBe(CO_DO.size);
	const admin = (await signIn(baseURL!)).header;
	const cityWall = (await (
		await fetch(new URL('/api/wall', baseURL), { headers: { cookie: admin } })
	).json()) as { kpis: WallKpis };
	expect(cityWall.kpis.schools.length).toBe(reg.schools.length);

	// the live feed, read as a browser does: the first frames carry Cờ Đỏ only
	const frames = await readSse(new URL('/api/live', baseURL), district.cookie, 2);
	const kpis = frames.find((f) => f.event === 'wall.kpis')!.data as WallKpis;
	expect(kpis.schools.length).toBe(CO_DO.size);
	expect(kpis.schools.filter((s) => !CO_DO.has(s[0]))).toEqual([]);
	expect(Object.keys(kpis.districts)).toEqual(['co-do']);
	const history = frames.find((f) => f.event === 'wall.history')?.data as
		{ districts: Record<string, unknown> } | undefined;
	if (history) expect(Object.keys(history.districts)).toEqual(['co-do']);
	const alerts = frames.find((f) => f.event === 'wall.alerts')?.data as
		{ open: { district_id: string }[] } | undefined;
	if (alerts) expect(alerts.open.filter((x) => x.district_id !== 'co-do')).toEqual([]);
	const one = await readSse(new URL('/api/live?topics=wall.kpis', baseURL), as('school').cookie, 1);
	expect((one[0].data as WallKpis).schools.map((s) => s[0])).toEqual([SCHOOL]);
	// the city's feed: every school
	const all = await readSse(new URL('/api/live?topics=wall.kpis', baseURL), admin, 1);
	expect((all[0].data as WallKpis).schools.length).toBe(reg.schools.length);
});

/** Read an SSE stream until `n` events of different topics arrived (the current frames come at once). */
async function readSse(
	url: URL,
	cookie: string,
	n: number
): Promise<{ event: string; data: unknown }[]> {
	const ctl = new AbortController();
	const r = await fetch(url, {
		headers: { cookie, accept: 'text/event-stream' },
		signal: ctl.signal
	});
	expect(r.status).toBe(200);
	const reader = r.body!.getReader();
	const dec = new TextDecoder();
	let buf = '';
	const out: { event: string; data: unknown }[] = [];
	const until = Date.now() + 30_000;
	while (out.length < n && Date.now() < until) {
		const { value, done } = await reader.read();
		if (done) break;
		buf += dec.decode(value, { stream: true });
		let i: number;
		while ((i = buf.indexOf('\n\n')) >= 0) {
			const block = buf.slice(0, i);
			buf = buf.slice(i + 2);
			const event = /^event: (.+)$/m.exec(block)?.[1];
			const data = /^data: (.+)$/m.exec(block)?.[1];
			if (event && data && !out.some((o) => o.event === event))
				out.push({ event, data: JSON.parse(data) });
		}
	}
	ctl.abort();
	return out;
}

test('a scoped operator cannot comment on another district’s alert: answered as an unknown one', async ({
	baseURL
}) => {
	const op = accounts.find((a) => a.role === 'operator' && a.kind === 'district')!;
	const post = (id: string) =>
		fetch(new URL('/alerts?/comment', baseURL), {
			method: 'POST',
			headers: {
				cookie: op.cookie,
				origin: baseURL!,
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ id, note: 'ghi chú ngoài phạm vi' }).toString()
		}).then(async (r) => ({ status: r.status, body: (await r.text()).replaceAll(id, 'ID') }));
	const outside = await post(alertIds.ninhKieu);
	const unknown = await post('zzzzzzzzzzzzzzzz');
	expect(outside).toEqual(unknown);
	expect(outside.body).toContain('unknown');
	// inside its scope the same comment is taken (or refused for the alert's state, never as unknown)
	const inside = await post(alertIds.coDo);
	expect(inside.body).not.toContain('unknown');
	// the Ninh Kiều alert's history has no such note
	const admin = (await signIn(baseURL!)).header;
	const page = await (
		await fetch(new URL(`/alerts/${alertIds.ninhKieu}`, baseURL), { headers: { cookie: admin } })
	).text();
	expect(page).not.toContain('ghi chú ngoài phạm vi');
});

test('a Cờ Đỏ analyst sees Cờ Đỏ on the wall and its district page, with the scope in the header', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const a = accounts.find((x) => x.role === 'analyst' && x.kind === 'district')!;
	const ctx = await browser.newContext({
		storageState: { cookies: [], origins: [] },
		viewport: { width: 1920, height: 1080 }
	});
	const page = await ctx.newPage();
	await page.goto('/login');
	await page.getByLabel('Email').fill(a.email);
	await page.getByLabel('Mật khẩu').fill(a.password);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await page.waitForURL('**/wall');
	await expect(page.getByTestId('wall-map')).toHaveAttribute('data-ready', '1', {
		timeout: 60_000
	});
	await expect(page.getByTestId('wall')).toHaveAttribute('data-connection', 'open', {
		timeout: 30_000
	});
	await expect(page.getByTestId('area-name')).toHaveText('Cờ Đỏ');
	await expect(page.getByTestId('scope-line')).toHaveText('Phạm vi: Cờ Đỏ');
	await page.waitForTimeout(1500);
	await page.screenshot({ path: 'test-results/scope-wall-co-do-1080p.png' });

	await page.goto('/districts/co-do');
	await expect(page.getByTestId('scope-line')).toHaveText('Phạm vi: Cờ Đỏ');
	await expect(page.locator('h1')).toContainText('Cờ Đỏ');
	await page.waitForTimeout(1500);
	await page.screenshot({ path: 'test-results/scope-district-co-do-1080p.png', fullPage: true });
	// another district: the page of an id that does not exist
	const r = await page.goto('/districts/ninh-kieu');
	expect(r!.status()).toBe(404);
	await ctx.close();
});
