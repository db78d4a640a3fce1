/**
 * The app state store on both engines: SQLite (a file under a temporary DATA_DIR) and PostgreSQL
 * (a throw-away database on 127.0.0.1:5432). The same tests, the same migrations, one query layer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '#server/auth/login';
import { tokenHash } from '#server/store/secret-token';
import { DAY_MS } from '#shared/calendar';
import { audit, recentAudit } from '#server/store/audit';
import { LOGIN_WINDOW_MS, MAX_FAILURES } from '#server/store/login-limit';
import { openStore, type Store } from '#server/store/open';
import {
	SESSION_DAYS,
	createSession,
	invalidateSession,
	invalidateUserSessions,
	validateSession
} from '#server/store/sessions';
import {
	UserError,
	createUser,
	ensureAdmin,
	findUserByEmail,
	listUsers,
	setDisabled,
	setRole
} from '#server/store/users';
import { issueToken, listTokens, revokeToken, verifyToken } from '#server/store/tokens';
import pg from 'pg';
import { PG_ADMIN_URL, tempPostgres } from '#harness/pg';

const engines = [
	{
		name: 'sqlite',
		async open() {
			const dir = mkdtempSync(path.join(tmpdir(), 'edu-store-'));
			const store = await openStore({ dataDir: dir });
			return { store, done: async () => rmSync(dir, { recursive: true, force: true }) };
		}
	},
	{
		name: 'postgres',
		async open() {
			const db = await tempPostgres();
			const store = await openStore({ dataDir: '/nonexistent', databaseUrl: db.url });
			return { store, done: db.drop };
		}
	}
] as const;

describe.each(engines)('store on $name', (engine) => {
	let store: Store;
	let done: () => Promise<void>;
	const meta = { ip: '10.0.0.7', userAgent: 'test' };
	const PW = 'correct horse battery';

	beforeAll(async () => {
		({ store, done } = await engine.open());
	});
	afterAll(async () => {
		await store?.close();
		await done?.();
	});

	it('is on the engine asked for, migrated once (opening again changes nothing)', async () => {
		expect(store.engine).toBe(engine.name);
		expect(await listUsers(store)).toEqual([]);
	});

	it('creates the first admin once, with a random password when none is given', async () => {
		const first = await ensureAdmin(store, {});
		expect(first?.email).toBe('admin@localhost.localdomain');
		expect(first?.password).toMatch(/^[a-z2-7]{20}$/);
		expect(await ensureAdmin(store, {})).toBeNull();
		const row = await findUserByEmail(store, 'ADMIN@localhost.localdomain');
		expect(row?.role).toBe('admin');
		// the password is stored as an argon2id hash, never as given
		expect(row?.password_hash).toMatch(/^\$argon2id\$/);
		expect(row?.password_hash).not.toContain(first!.password!);
	});

	it('creates accounts with a clear error for each bad value, and keeps the last admin', async () => {
		await createUser(store, {
			email: ' Lan@Example.VN ',
			name: 'Nguyễn Thị Lan',
			role: 'operator',
			password: PW
		});
		const err = (p: Promise<unknown>) =>
			p.then(
				() => null,
				(e: unknown) => (e instanceof UserError ? e.code : String(e))
			);
		expect(
			await err(createUser(store, { email: 'lan@example.vn', role: 'leader', password: PW }))
		).toBe('exists');
		expect(
			await err(createUser(store, { email: 'not-an-email', role: 'leader', password: PW }))
		).toBe('email');
		expect(
			await err(createUser(store, { email: 'x@example.vn', role: 'boss', password: PW }))
		).toBe('role');
		expect(
			await err(createUser(store, { email: 'x@example.vn', role: 'leader', password: 'short' }))
		).toBe('password');
		// SQL-looking input is a value like any other
		expect(
			await err(
				createUser(store, {
					email: "o'brien@example.vn",
					name: "'); DROP TABLE users; --",
					role: 'leader',
					password: PW
				})
			)
		).toBeNull();
		expect((await findUserByEmail(store, "o'brien@example.vn"))?.name).toBe(
			"'); DROP TABLE users; --"
		);
		expect(await err(setRole(store, 'admin@localhost.localdomain', 'leader'))).toBe('last_admin');
		expect(await err(setDisabled(store, 'admin@localhost.localdomain', true))).toBe('last_admin');
		expect((await setRole(store, 'lan@example.vn', 'analyst')).role).toBe('analyst');
		expect((await listUsers(store)).map((u) => u.email)).toEqual([
			'admin@localhost.localdomain',
			'lan@example.vn',
			"o'brien@example.vn"
		]);
	});

	it('keeps only a hash of the session token; sessions slide, expire, end one by one or all at once', async () => {
		const lan = (await findUserByEmail(store, 'lan@example.vn'))!;
		const t0 = Date.now();
		const a = await createSession(store, lan.id, meta, t0);
		const b = await createSession(store, lan.id, meta, t0);
		expect(a.token).not.toBe(b.token);
		expect(a.session.id).toBe(tokenHash(a.token));
		const stored = await store.db.selectFrom('sessions').select('id').execute();
		expect(stored.map((s) => s.id)).not.toContain(a.token);

		expect(await validateSession(store, a.token, t0 + DAY_MS)).toMatchObject({
			user: { email: 'lan@example.vn' },
			renewed: false
		});
		// 20 days on, less than 15 remain: renewed to 30 days from then
		const later = t0 + 20 * DAY_MS;
		expect(await validateSession(store, a.token, later)).toMatchObject({
			session: { expires_at: later + SESSION_DAYS * DAY_MS },
			renewed: true
		});
		// b was not renewed: it ends after its 30 days
		expect(await validateSession(store, b.token, t0 + 31 * DAY_MS)).toBeNull();
		expect(await validateSession(store, 'forged-token-aaaaaaaaaaaaaaa', t0)).toBeNull();
		expect(await validateSession(store, "x' OR '1'='1", t0)).toBeNull();

		await invalidateSession(store, a.session.id);
		expect(await validateSession(store, a.token, later)).toBeNull();
		const c = await createSession(store, lan.id, meta);
		const d = await createSession(store, lan.id, meta);
		expect(await invalidateUserSessions(store, lan.id)).toBe(2);
		expect(await validateSession(store, c.token)).toBeNull();
		expect(await validateSession(store, d.token)).toBeNull();
	});

	it('a disabled account loses its sessions and cannot sign in', async () => {
		await createUser(store, { email: 'minh@example.vn', role: 'leader', password: PW });
		const ok = await login(store, { email: 'minh@example.vn', password: PW, ...meta });
		expect(ok.ok).toBe(true);
		await setDisabled(store, 'minh@example.vn', true);
		expect(await validateSession(store, (ok as { token: string }).token)).toBeNull();
		expect((await login(store, { email: 'minh@example.vn', password: PW, ...meta })).ok).toBe(
			false
		);
	});

	it('limits sign-in attempts per account and per address, and audits each', async () => {
		await createUser(store, { email: 'hoa@example.vn', role: 'leader', password: PW });
		const t0 = Date.now();
		const attempt = (password: string, ip = '10.0.0.9', at = t0) =>
			login(store, { email: 'hoa@example.vn', password, ip, userAgent: 'x' }, at);
		for (let i = 0; i < MAX_FAILURES.account; i++)
			expect(await attempt('wrong password')).toEqual({ ok: false, reason: 'invalid' });
		// blocked now, even with the right password, from any address
		const blocked = await attempt(PW, '10.0.0.10');
		expect(blocked).toMatchObject({ ok: false, reason: 'blocked', block: { by: 'account' } });
		// after the window, the right password works again
		expect((await attempt(PW, '10.0.0.10', t0 + LOGIN_WINDOW_MS + 1000)).ok).toBe(true);

		// one address trying many accounts
		const ip = '10.9.9.9';
		for (let i = 0; i < MAX_FAILURES.address; i++)
			await login(store, { email: `nobody${i}@example.vn`, password: 'x', ip, userAgent: 'x' }, t0);
		expect(
			await login(store, { email: 'lan@example.vn', password: PW, ip, userAgent: 'x' }, t0)
		).toMatchObject({ reason: 'blocked', block: { by: 'address' } });

		const log = await recentAudit(store, 1000);
		expect(log.filter((e) => e.action === 'login.failed').length).toBeGreaterThanOrEqual(
			MAX_FAILURES.account + MAX_FAILURES.address
		);
		expect(log.filter((e) => e.action === 'login.blocked').length).toBe(2);
		expect(log.find((e) => e.action === 'login' && e.ip === '10.0.0.10')).toBeTruthy();
	});

	it('never writes a secret to the audit log', async () => {
		await audit(store, {
			actor: 'cli',
			action: 'test',
			target: 'x',
			detail: { password: 'hunter2hunter2', token: 'abc', role: 'admin' }
		});
		const e = (await recentAudit(store, 1000)).find((x) => x.action === 'test')!;
		expect(JSON.parse(e.detail)).toEqual({
			password: '[redacted]',
			token: '[redacted]',
			role: 'admin'
		});
		const all = JSON.stringify(await recentAudit(store, 1000));
		expect(all).not.toContain('hunter2');
		expect(all).not.toContain(PW);
	});

	it('signs tokens: a forged, tampered, expired or revoked one is refused, and says why', async () => {
		const t0 = Date.now();
		const wall = await issueToken(
			store,
			{
				kind: 'wall',
				label: 'Phòng họp Sở',
				scope: { view: 'wall' },
				expiresAt: 0,
				createdBy: 'user:x'
			},
			t0
		);
		const embed = await issueToken(
			store,
			{
				kind: 'embed',
				label: 'IOC',
				scope: { view: 'district', district: 'ninh-kieu', lang: 'vi' },
				expiresAt: t0 + 3_600_000,
				createdBy: 'user:x'
			},
			t0
		);
		expect(await verifyToken(store, wall.token, t0 + 400 * DAY_MS)).toMatchObject({
			ok: true,
			kind: 'wall',
			scope: { view: 'wall' }
		});
		expect(await verifyToken(store, embed.token, t0)).toMatchObject({
			ok: true,
			kind: 'embed',
			scope: { view: 'district', district: 'ninh-kieu' }
		});

		const [head, sig] = embed.token.split('.');
		const flip = (c: string) => (c === 'A' ? 'B' : 'A');
		// a changed signature, a changed scope kept with the old signature, another kind's prefix
		expect(await verifyToken(store, `${head}.${flip(sig[0])}${sig.slice(1)}`, t0)).toEqual({
			ok: false,
			reason: 'forged'
		});
		const other = Buffer.from(JSON.stringify({ i: embed.id, s: { view: 'city' }, e: 0 })).toString(
			'base64url'
		);
		expect(await verifyToken(store, `embed_${other}.${sig}`, t0)).toEqual({
			ok: false,
			reason: 'forged'
		});
		expect(await verifyToken(store, `wall_${head.slice(6)}.${sig}`, t0)).toEqual({
			ok: false,
			reason: 'forged'
		});
		expect(await verifyToken(store, "embed_' OR 1=1 --.x", t0)).toEqual({
			ok: false,
			reason: 'malformed'
		});
		expect(await verifyToken(store, embed.token, t0 + 3_600_000)).toEqual({
			ok: false,
			reason: 'expired'
		});

		expect(await revokeToken(store, wall.id)).toBe(true);
		expect(await revokeToken(store, wall.id)).toBe(false);
		expect(await verifyToken(store, wall.token, t0)).toEqual({ ok: false, reason: 'revoked' });
		// the store lists what was issued, never the token itself
		const listed = JSON.stringify(await listTokens(store));
		expect(listed).toContain('Phòng họp Sở');
		expect(listed).not.toContain(wall.token.split('.')[1]);
	});
});

describe('store on postgres when the server ends its connections', () => {
	it('logs it, keeps the process alive and reconnects on the next query', async () => {
		const db = await tempPostgres();
		const store = await openStore({ dataDir: '/nonexistent', databaseUrl: db.url });
		try {
			await createUser(store, {
				email: 'restart@example.vn',
				role: 'leader',
				password: 'correct horse battery'
			});
			// what a PostgreSQL restart or an administrator does to the pool's idle connections
			const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
			await admin.connect();
			const killed = await admin.query(
				'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
				[new URL(db.url).pathname.slice(1)]
			);
			await admin.end();
			expect(killed.rows.length).toBeGreaterThan(0);
			await new Promise((r) => setTimeout(r, 200));
			expect((await listUsers(store)).map((u) => u.email)).toEqual(['restart@example.vn']);
		} finally {
			await store.close();
			await db.drop();
		}
	});
});
