/**
 * Accounts in the browser and the role × route matrix against the running product.
 * - An admin creates a leader, an analyst and an operator on /admin/users (the first password is
 *   shown once) and each signs in.
 * - Every route of src/routes (read from the files: a new route joins the matrix by itself), each
 *   method it answers, for anonymous and each role: allowed or refused as src/lib/server/auth/routes.ts
 *   says, checked over HTTP. The expected answer is computed from the rule; the test fails when a
 *   route has no rule.
 */
import { expect, test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { listRoutes } from '#server/auth/route-list';
import { embedOpens } from '#server/auth/embed-scope';
import { WALL_TOKEN_ROUTES, needOf } from '#server/auth/routes';
import { atLeast, type Role } from '#shared/roles';
import { signIn } from '#harness/sign-in';

/** A concrete URL (and its replay variant) for a route id. */
function urlsOf(id: string): string[] {
	const u = id
		.replace(/\/districts\/\[id\]|\/district\/\[id\]/, (m) => m.replace('[id]', 'ninh-kieu'))
		.replace('/schools/[id]', '/schools/ct-916-001')
		.replace('[table]', 'devices')
		.replace('[kpi]', 'attendance')
		// a report job id that is no job, and a format
		.replace('[job]', 'aaaaaaaaaaaa')
		.replace('[format]', 'pdf')
		// an alert id of the right shape that is no alert: the rule decides before the 404
		.replace('/alerts/[id]', '/alerts/aaaaaaaaaaaaaaaa');
	const extra =
		id === '/admin/users'
			? ['/admin/users?/role']
			: id === '/embed/kpi/[kpi]'
				? ['/embed/kpi/attendance?district=ninh-kieu']
				: [];
	return [
		u,
		`${u}${u.includes('?') ? '&' : '?'}at=${encodeURIComponent(minutesAgo(30))}`,
		...extra
	];
}
function minutesAgo(m: number): string {
	const d = new Date(Date.now() - m * 60_000 + 7 * 3600_000);
	return d.toISOString().slice(0, 16);
}

type Actor = 'anonymous' | Role | 'wall token' | 'forged token' | 'embed token (Ninh Kiều)';
const EMBED_SCOPE = { view: 'district', district: 'ninh-kieu' } as const;
const users: Partial<Record<Role, { email: string; password: string }>> = {};
let wallLink = '';
let embedLink = '';

test.describe.configure({ mode: 'serial' });

test('an admin creates accounts for a leader, an analyst and an operator', async ({ page }) => {
	for (const role of ['leader', 'analyst', 'operator', 'admin'] as const) {
		await page.goto('/admin/users');
		const email = `${role}.${Date.now().toString(36)}@so-gddt.cantho.vn`;
		const create = page.locator('form.create');
		await create.getByLabel('Email').fill(email);
		await create.getByLabel('Tên').fill(`Người thử ${role}`);
		await create.getByLabel('Vai trò').selectOption(role);
		await create.getByRole('button', { name: 'Tạo' }).click();
		const shown = page.getByTestId('new-password').locator('code');
		await expect(shown).toHaveText(/^[a-z2-7]{20}$/);
		users[role] = { email, password: (await shown.textContent())! };
		await expect(page.getByTestId('users')).toContainText(email);
	}
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.screenshot({ path: 'test-results/admin-users-1080p.png' });
	// the audit log has each creation, by this admin
	await page.goto('/admin/audit');
	await expect(page.getByTestId('audit')).toContainText(users.operator!.email);

	// a wall token for a kiosk: the link is shown once
	await page.goto('/admin/tokens');
	await page.getByLabel('Tên màn hình').fill('Phòng họp Sở GD&ĐT, tầng 3');
	await page.getByRole('button', { name: 'Cấp mã', exact: true }).click();
	wallLink = (await page.getByTestId('wall-link').textContent())!;
	expect(wallLink).toMatch(/\/wall\?token=wall_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
	await expect(page.getByTestId('tokens')).toContainText('Phòng họp Sở GD&ĐT, tầng 3');

	// an embed token for the IOC: the Ninh Kiều wall, in Vietnamese, light, for 7 days
	const embed = page.locator('form[action="?/embed"]');
	await embed.locator('input[name=label]').fill('IOC Cần Thơ — Ninh Kiều');
	await embed.locator('select[name=view]').selectOption('district');
	await embed.locator('select[name=district]').selectOption('ninh-kieu');
	await embed.locator('select[name=lang]').selectOption('vi');
	await embed.locator('select[name=theme]').selectOption('light');
	await embed.locator('input[name=days]').fill('7');
	await embed.getByRole('button', { name: 'Cấp mã nhúng' }).click();
	embedLink = (await page.getByTestId('embed-link').textContent())!;
	expect(embedLink).toMatch(
		/\/embed\/district\/ninh-kieu\?token=embed_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/
	);
	await page.screenshot({ path: 'test-results/admin-tokens-1080p.png' });
});

test('every route answers each role as its rule says', async ({ baseURL }) => {
	test.setTimeout(300_000);
	const cookies: Record<Actor, string> = { anonymous: '' } as Record<Actor, string>;
	for (const role of ['leader', 'analyst', 'operator', 'admin'] as const)
		cookies[role] = (await signIn(baseURL!, users[role]!)).header;
	cookies['embed token (Ninh Kiều)'] = '';
	const wallToken = new URL(wallLink).searchParams.get('token')!;
	cookies['wall token'] = `edu_wall=${wallToken}`;
	// the same token with one signature character changed: the one before the last, whose six bits
	// are all signature (the last character of a 32-byte signature in base64url carries 4 bits and
	// 2 padding bits, so changing 'A' to 'B' there changed nothing, and the "forged" token passed)
	const at = wallToken.length - 2;
	cookies['forged token'] =
		`edu_wall=${wallToken.slice(0, at)}${wallToken[at] === 'A' ? 'B' : 'A'}${wallToken.slice(at + 1)}`;
	const embedToken = new URL(embedLink).searchParams.get('token')!;

	const routes = listRoutes();
	const cells: string[] = [];
	const wrong: string[] = [];
	for (const route of routes)
		for (const method of route.methods)
			for (const path of urlsOf(route.id))
				for (const actor of Object.keys(cookies) as Actor[]) {
					const url = new URL(path, baseURL);
					const need = needOf(route.id, method, url);
					expect(need, `${method} ${route.id} has no rule`).not.toBeNull();
					// signing out ends the session: each role does it with a session of its own
					const asToken = actor === 'embed token (Ninh Kiều)';
					const cookie =
						route.id === '/logout' &&
						!['anonymous', 'wall token', 'forged token'].includes(actor) &&
						!asToken
							? (await signIn(baseURL!, users[actor as Role]!)).header
							: (cookies[actor] ?? '');
					const ctl = new AbortController();
					const r = await fetch(url, {
						method,
						redirect: 'manual',
						signal: ctl.signal,
						headers: {
							cookie,
							origin: baseURL!,
							accept: 'text/html',
							'content-type': 'application/x-www-form-urlencoded',
							...(asToken ? { authorization: `Bearer ${embedToken}` } : {})
						},
						body: method === 'POST' ? '' : undefined
					});
					ctl.abort(); // the live stream never ends: the status and headers are the answer
					const location = r.headers.get('location') ?? '';
					const toLogin = r.status === 303 && /^\/login\?(next|denied)=/.test(location);
					const refused = r.status === 401 || r.status === 403 || toLogin;
					const allowed =
						need === 'public' ||
						(actor === 'wall token'
							? method === 'GET' && (WALL_TOKEN_ROUTES[route.id]?.(url) ?? false)
							: asToken
								? method === 'GET' && embedOpens(EMBED_SCOPE, route.id, url)
								: actor !== 'anonymous' && actor !== 'forged token' && atLeast(actor, need!));
					cells.push(`${method} ${path} ${actor}: ${r.status}`);
					if (allowed === refused)
						wrong.push(`${method} ${path} as ${actor}: ${r.status} ${location} (needs ${need})`);
					if (refused && actor === 'anonymous' && need !== 'public') {
						// a page sends the visitor to sign in; a program gets 401
						const page =
							method === 'GET' &&
							!url.pathname.startsWith('/api/') &&
							!url.pathname.endsWith('.csv');
						if (page ? !location.startsWith('/login?next=') : r.status !== 401)
							wrong.push(`${method} ${path} as anonymous: ${r.status} ${location}`);
					}
					// a token that fails its check is 401 wherever it is shown
					if (actor === 'forged token' && need !== 'public' && r.status !== 401)
						wrong.push(`${method} ${path} with a forged token: ${r.status}`);
					if (r.status >= 500) wrong.push(`${method} ${path} as ${actor}: ${r.status}`);
				}
	console.log(`role × route matrix: ${routes.length} routes, ${cells.length} requests`);
	expect(wrong).toEqual([]);
	expect(cells.length).toBeGreaterThan(150);
});

test('a visitor is sent to sign in and back; a wrong password is refused in Vietnamese; signing out ends the session', async ({
	browser,
	baseURL
}) => {
	const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
	// session fixation: a session id planted before sign-in is never adopted
	const planted = 'a'.repeat(32);
	await ctx.addCookies([{ name: 'edu_session', value: planted, url: baseURL! }]);
	const page = await ctx.newPage();
	await page.goto('/districts/ninh-kieu?range=7d');
	await expect(page).toHaveURL(/\/login\?next=/);
	await page.getByLabel('Email').fill(users.leader!.email);
	await page.getByLabel('Mật khẩu').fill('not the password');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('alert')).toHaveText('Email hoặc mật khẩu không đúng.');
	// the email typed is kept (the server's page fills it back; hydration does not clear it)
	await expect(page.getByLabel('Email')).toHaveValue(users.leader!.email);
	await page.getByLabel('Mật khẩu').fill(users.leader!.password);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page).toHaveURL(/\/districts\/ninh-kieu\?range=7d$/);
	const cookie = (await ctx.cookies()).find((c) => c.name === 'edu_session')!;
	expect(cookie.value).not.toBe(planted);
	expect(cookie.value).toMatch(/^[a-z2-7]{32}$/);
	expect(cookie.httpOnly).toBe(true);
	expect(cookie.sameSite).toBe('Lax');
	// a leader may look, not export
	const csv = await page.request.get('/districts/ninh-kieu/export.csv');
	expect(csv.status()).toBe(403);
	// sign out (a form post from the page), and the old cookie opens nothing
	await page.evaluate(async () => {
		await fetch('/logout', { method: 'POST', body: new URLSearchParams({}) });
	});
	const after = await fetch(new URL('/api/wall', baseURL), {
		headers: { cookie: `edu_session=${cookie.value}` }
	});
	expect(after.status).toBe(401);
	await ctx.close();
});

test('a kiosk boots into the wall from its token link, sees nothing else, and stops when the token is revoked', async ({
	browser,
	page,
	baseURL
}) => {
	test.setTimeout(120_000);
	const kiosk = await browser.newContext({
		storageState: { cookies: [], origins: [] },
		viewport: { width: 1920, height: 1080 }
	});
	const screen = await kiosk.newPage();
	await screen.goto(wallLink);
	// the token left the address bar for an HttpOnly cookie
	await expect(screen).toHaveURL(`${baseURL}/wall`);
	await expect(screen.getByTestId('wall-map')).toHaveAttribute('data-ready', '1', {
		timeout: 60_000
	});
	expect(await screen.evaluate(() => document.cookie)).not.toContain('edu_wall');
	// no replay link on a screen whose token cannot replay
	await expect(screen.getByTestId('replay-start')).toHaveCount(0);
	await screen.screenshot({ path: 'test-results/kiosk-wall-1080p.png' });
	// read-only and the wall only
	expect((await screen.request.get('/api/wall')).status()).toBe(200);
	expect((await screen.request.get('/districts/ninh-kieu')).status()).toBe(403);
	expect((await screen.request.get('/api/wall/replay?at=2026-11-03T07:45')).status()).toBe(403);
	expect((await screen.request.get('/plan83/export.csv')).status()).toBe(403);
	expect(
		(await screen.request.post('/logout', { form: {}, headers: { origin: baseURL! } })).status()
	).toBe(403);

	// the admin revokes it: the kiosk's next request is refused
	await page.goto('/admin/tokens');
	const row = page.getByTestId('tokens').locator('tr', { hasText: 'Phòng họp Sở GD&ĐT, tầng 3' });
	await row.getByRole('button', { name: 'Thu hồi' }).click();
	await expect(
		page.getByTestId('tokens').locator('tr', { hasText: 'Phòng họp Sở GD&ĐT, tầng 3' })
	).toContainText('đã thu hồi');
	expect((await screen.request.get('/api/wall')).status()).toBe(401);
	// and it is in the audit log, with the refusal
	await page.goto('/admin/audit');
	await expect(page.getByTestId('audit')).toContainText('token.revoke');
	await expect(page.getByTestId('audit')).toContainText('token.refused');
	await kiosk.close();
});

/** A page on another origin that frames `src`: the IOC's own site, or a site not listed. */
async function framingSite(port: number, src: string): Promise<Server> {
	const server = createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		res.end(
			`<!doctype html><meta charset="utf-8"><title>IOC</title><h1>Trung tâm IOC Cần Thơ</h1><iframe id="edu" src="${src}" width="1600" height="900" style="border:0"></iframe>`
		);
	});
	await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
	return server;
}

test("the city IOC's page frames the district embed, live; another site cannot; the embed posts nothing", async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	const ioc = await framingSite(Number(process.env.E2E_IOC_PORT), embedLink);
	const other = await framingSite(Number(process.env.E2E_OTHER_PORT), embedLink);
	try {
		// the embed's own answer: framed by the IOC's origin only
		const head = await fetch(embedLink, { redirect: 'manual' });
		expect(head.status).toBe(200);
		expect(head.headers.get('content-security-policy')).toContain(
			`frame-ancestors http://127.0.0.1:${process.env.E2E_IOC_PORT}`
		);
		expect(head.headers.get('x-frame-options')).toBeNull();

		const ctx = await browser.newContext({
			storageState: { cookies: [], origins: [] },
			viewport: { width: 1700, height: 1000 }
		});
		const page = await ctx.newPage();
		await page.goto(`http://127.0.0.1:${process.env.E2E_IOC_PORT}/`);
		const frame = page.frameLocator('#edu');
		await expect(frame.getByTestId('area-name')).toHaveText('Ninh Kiều', { timeout: 60_000 });
		// live over SSE with its token, no navigation chrome (no replay, help or language buttons)
		await expect(frame.getByTestId('wall')).toHaveAttribute('data-connection', 'open', {
			timeout: 30_000
		});
		await expect(frame.getByTestId('replay-start')).toHaveCount(0);
		await expect(frame.getByTestId('lang-switch')).toHaveCount(0);
		await expect(
			frame.locator('a[href^="/districts/"], a[href^="/schools/"], a[href^="/plan83"]')
		).toHaveCount(0);
		// in the theme its token fixes (light), whatever the embedding page's URL asks for
		await expect(frame.getByTestId('wall')).toHaveAttribute('data-theme', 'light');
		expect(await (await fetch(`${embedLink}&theme=dark&lang=en`)).text()).toMatch(
			/data-theme="light"[^>]*lang="vi"/
		);
		await page.screenshot({ path: 'test-results/ioc-embed.png' });

		// the embed (its token) cannot post, nor open another view
		const inner = page.frames().find((f) => f.url().startsWith(baseURL!))!;
		const token = new URL(embedLink).searchParams.get('token')!;
		const tries = await inner.evaluate(async (t) => {
			const post = async (path: string) =>
				(
					await fetch(`${path}${path.includes('?') ? '&' : '?'}token=${t}`, {
						method: 'POST',
						body: new URLSearchParams({ email: 'x@y.vn', role: 'admin' })
					})
				).status;
			const get = async (path: string) => (await fetch(`${path}?token=${t}`)).status;
			return {
				create: await post('/admin/users?/create'),
				logout: await post('/logout'),
				city: await get('/embed/city'),
				other: await get('/embed/district/cai-rang'),
				csv: await get('/plan83/export.csv')
			};
		}, token);
		expect(tries).toEqual({ create: 403, logout: 403, city: 403, other: 403, csv: 403 });

		// a site not listed: the browser refuses to show the embed in its frame
		const refused: string[] = [];
		const page2 = await ctx.newPage();
		page2.on('console', (m) => refused.push(m.text()));
		await page2.goto(`http://127.0.0.1:${process.env.E2E_OTHER_PORT}/`);
		await page2.waitForTimeout(3000);
		await expect(page2.frameLocator('#edu').getByTestId('wall')).toHaveCount(0);
		expect(refused.join('\n')).toMatch(/frame-ancestors/);
		await ctx.close();
	} finally {
		ioc.close();
		other.close();
	}
});

test('abuse: oversized bodies, SQL-looking input in every parameter, brute force — refused cleanly, nothing changed', async ({
	baseURL,
	page
}) => {
	test.setTimeout(180_000);
	const admin = (await signIn(baseURL!)).header;
	const users0 = await page
		.goto('/admin/users')
		.then(() => page.getByTestId('users').locator('tbody tr').count());
	const post = (path: string, body: string, cookie = admin) =>
		fetch(new URL(path, baseURL), {
			method: 'POST',
			redirect: 'manual',
			headers: {
				cookie,
				origin: baseURL!,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body
		});

	// a body over the limit (64 KB) is refused before any action runs
	const big = await post(
		'/admin/users?/create',
		new URLSearchParams({
			email: 'big@example.vn',
			role: 'admin',
			name: 'x'.repeat(200_000)
		}).toString()
	);
	expect(big.status).toBe(413);
	expect((await post('/login', `email=a@b.vn&password=${'x'.repeat(100_000)}`, '')).status).toBe(
		413
	);

	// SQL-looking values in every parameter of every page and endpoint: a clear 4xx or the normal page, never a 500
	const evil = [
		"' OR '1'='1",
		'1; DROP TABLE users; --',
		"x') UNION SELECT * FROM system.users --",
		'../../etc/passwd',
		'<script>alert(1)</script>'
	];
	const params = [
		'range',
		'from',
		'to',
		'at',
		'compare',
		'kpi',
		'sort',
		'dir',
		'level',
		'setting',
		'table',
		'lang',
		'year',
		'district',
		'topics',
		'speed',
		'rotate',
		'dwell',
		'next',
		'token'
	];
	const statuses = new Map<number, number>();
	for (const route of listRoutes().filter((r) => r.methods.includes('GET') && r.id !== '/api/live'))
		for (const path of urlsOf(route.id).slice(0, 1))
			for (const v of evil) {
				const url = new URL(path, baseURL);
				for (const p of params) url.searchParams.set(p, v);
				const r = await fetch(url, {
					redirect: 'manual',
					headers: { cookie: admin, accept: 'text/html' }
				});
				statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
				expect(r.status, `${url}`).toBeLessThan(500);
				// nothing echoed back as markup
				if ((r.headers.get('content-type') ?? '').includes('html'))
					expect(await r.text()).not.toContain('<script>alert(1)</script>');
			}
	// the same in the id segments
	for (const v of evil.map(encodeURIComponent)) {
		for (const path of [
			`/districts/${v}`,
			`/schools/${v}`,
			`/schools/ct-916-001/${v}.csv`,
			`/embed/district/${v}`,
			`/embed/kpi/${v}`,
			`/alerts/${v}`
		]) {
			const r = await fetch(new URL(path, baseURL), {
				redirect: 'manual',
				headers: { cookie: admin }
			});
			expect([400, 404], `${path}`).toContain(r.status);
		}
	}
	// and in the forms
	for (const v of evil) {
		const r = await post(
			'/admin/users?/role',
			new URLSearchParams({ email: v, role: v }).toString()
		);
		expect(r.status).toBe(400);
		expect(
			(await post('/login', new URLSearchParams({ email: v, password: v }).toString(), '')).status
		).toBe(400);
		expect(
			(await post('/alerts?/ack', new URLSearchParams({ id: v, note: v }).toString())).status
		).toBe(400);
		expect(
			(
				await post(
					'/alerts?/silence',
					new URLSearchParams({ rule_id: v, school_id: v, hours: v, reason: v }).toString()
				)
			).status
		).toBe(400);
		expect(
			(await post('/alerts/rules?/save', new URLSearchParams({ id: v, below: v }).toString()))
				.status
		).toBe(400);
		// the notification settings, webhooks, escalation contacts, the delivery log, one alert
		const forms: [string, Record<string, string>, number?][] = [
			[
				'/settings/notifications?/save',
				{ channels: v, districts: v, severities: v, quiet_from: v, quiet_to: v, locale: v }
			],
			['/admin/notifications?/webhook', { label: v, url: v, districts: v, severities: v }],
			['/admin/notifications?/escalation', { district: v, users: v }],
			['/admin/notifications?/retry', { id: v }],
			// no such alert: the action is refused and the page says 404
			['/alerts/aaaaaaaaaaaaaaaa?/ack', { note: v }, 404],
			['/settings/notifications/push', { op: v, endpoint: v }]
		];
		for (const [path, body, status = 400] of forms) {
			const r = await post(path, new URLSearchParams(body).toString());
			expect(r.status, `${path} with ${v}`).toBe(status);
			expect(await r.text()).not.toContain('<script>alert(1)</script>');
		}
	}
	// brute force on one account: after 5 wrong passwords even the right one waits, with a clear message
	const op = users.operator!;
	for (let i = 0; i < 5; i++)
		expect(
			(
				await post(
					'/login',
					new URLSearchParams({ email: op.email, password: `guess ${i}` }).toString(),
					''
				)
			).status
		).toBe(400);
	const locked = await post(
		'/login',
		new URLSearchParams({ email: op.email, password: op.password }).toString(),
		''
	);
	expect(locked.status).toBe(429);
	expect(await locked.text()).toContain(
		'Tài khoản này đã nhập sai quá nhiều lần. Thử lại sau 15 phút.'
	);
	console.log(`abuse: ${[...statuses].map(([s, n]) => `${n}×${s}`).join(', ')}`);
	await page.goto('/admin/users');
	await expect(page.getByTestId('users').locator('tbody tr')).toHaveCount(users0);
});
