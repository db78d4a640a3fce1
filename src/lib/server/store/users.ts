/** Accounts: create, find, change role, disable. Emails are unique, compared lower-cased. */
import { isRole, type Role } from '../../shared/roles';
import { formatScope, parseScope, type Scope } from '../../shared/scope';
import { MIN_PASSWORD_LENGTH, hashPassword } from './password';
import { randomToken } from './secret-token';
import type { Store } from './open';
import type { UsersTable } from './schema';

export type User = Omit<UsersTable, 'password_hash'>;

export class UserError extends Error {
	override name = 'UserError';
	constructor(
		readonly code: 'email' | 'password' | 'role' | 'exists' | 'unknown' | 'last_admin' | 'scope',
		message: string
	) {
		super(message);
	}
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
const publicFields = [
	'id',
	'email',
	'name',
	'role',
	'scope',
	'disabled',
	'created_at',
	'updated_at'
] as const;

export async function createUser(
	store: Store,
	input: { email: string; name?: string; role: string; password: string },
	now = Date.now()
): Promise<User> {
	const email = normalizeEmail(input.email);
	if (!EMAIL.test(email)) throw new UserError('email', `"${input.email}" is not an email address`);
	if (!isRole(input.role))
		throw new UserError('role', `"${input.role}" is not a role (leader, analyst, operator, admin)`);
	if (input.password.length < MIN_PASSWORD_LENGTH)
		throw new UserError('password', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
	if (await findUserByEmail(store, email))
		throw new UserError('exists', `${email} already has an account`);
	const user: UsersTable = {
		id: randomToken(10),
		email,
		name: (input.name ?? '').trim() || email.split('@')[0],
		role: input.role,
		scope: '',
		password_hash: await hashPassword(input.password),
		disabled: 0,
		created_at: now,
		updated_at: now
	};
	await store.db.insertInto('users').values(user).execute();
	const { password_hash: _, ...pub } = user;
	return pub;
}

export async function findUserByEmail(
	store: Store,
	email: string
): Promise<UsersTable | undefined> {
	return store.db
		.selectFrom('users')
		.selectAll()
		.where('email', '=', normalizeEmail(email))
		.executeTakeFirst();
}

export async function findUser(store: Store, id: string): Promise<User | undefined> {
	return store.db.selectFrom('users').select(publicFields).where('id', '=', id).executeTakeFirst();
}

export async function listUsers(store: Store): Promise<User[]> {
	return store.db.selectFrom('users').select(publicFields).orderBy('email').execute();
}

export async function countUsers(store: Store): Promise<number> {
	const r = await store.db
		.selectFrom('users')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(r.n);
}

/** Enabled admins other than `except`: the last one cannot be demoted or disabled. */
async function otherAdmins(store: Store, except: string): Promise<number> {
	const r = await store.db
		.selectFrom('users')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('role', '=', 'admin')
		.where('disabled', '=', 0)
		.where('id', '!=', except)
		.executeTakeFirstOrThrow();
	return Number(r.n);
}

export async function setRole(
	store: Store,
	email: string,
	role: string,
	now = Date.now()
): Promise<User> {
	if (!isRole(role))
		throw new UserError('role', `"${role}" is not a role (leader, analyst, operator, admin)`);
	const u = await findUserByEmail(store, email);
	if (!u) throw new UserError('unknown', `no account for ${normalizeEmail(email)}`);
	if (u.role === 'admin' && role !== 'admin' && (await otherAdmins(store, u.id)) === 0)
		throw new UserError('last_admin', 'the last admin keeps the admin role');
	if (role === 'admin' && u.scope !== '')
		throw new UserError(
			'scope',
			'a scoped account cannot be an admin: give it the whole city first'
		);
	await store.db
		.updateTable('users')
		.set({ role: role as Role, updated_at: now })
		.where('id', '=', u.id)
		.execute();
	return (await findUser(store, u.id))!;
}

/**
 * Scope an account to a district or a school, or give it the whole city again. An admin manages the
 * whole city and is never scoped (nor is a scoped account made an admin: setRole refuses). Whether
 * the id exists in the registry is the caller's check (the store does not read the registry).
 */
export async function setScope(
	store: Store,
	email: string,
	scope: Scope,
	now = Date.now()
): Promise<User> {
	const u = await findUserByEmail(store, email);
	if (!u) throw new UserError('unknown', `no account for ${normalizeEmail(email)}`);
	if (u.role === 'admin' && scope.kind !== 'city')
		throw new UserError('scope', 'an admin manages the whole city and cannot be scoped');
	await store.db
		.updateTable('users')
		.set({ scope: formatScope(scope), updated_at: now })
		.where('id', '=', u.id)
		.execute();
	return (await findUser(store, u.id))!;
}

/** The account's scope (a stored text that no longer parses is read as no access: a school that cannot exist). */
export function scopeOf(u: Pick<User, 'scope'>): Scope {
	return parseScope(u.scope) ?? { kind: 'school', school: '-' };
}

/** Disable (or enable) an account; disabling also ends its sessions. */
export async function setDisabled(
	store: Store,
	email: string,
	disabled: boolean,
	now = Date.now()
): Promise<User> {
	const u = await findUserByEmail(store, email);
	if (!u) throw new UserError('unknown', `no account for ${normalizeEmail(email)}`);
	if (disabled && u.role === 'admin' && (await otherAdmins(store, u.id)) === 0)
		throw new UserError('last_admin', 'the last admin cannot be disabled');
	await store.db.transaction().execute(async (tx) => {
		await tx
			.updateTable('users')
			.set({ disabled: disabled ? 1 : 0, updated_at: now })
			.where('id', '=', u.id)
			.execute();
		if (disabled) await tx.deleteFrom('sessions').where('user_id', '=', u.id).execute();
	});
	return (await findUser(store, u.id))!;
}

/** The first start with an empty store makes an admin: the given one, or a random password to print once. */
export async function ensureAdmin(
	store: Store,
	opts: { email?: string; password?: string }
): Promise<{ email: string; password: string | null } | null> {
	if ((await countUsers(store)) > 0) return null;
	const email = opts.email ?? 'admin@localhost.localdomain';
	const password = opts.password ?? randomToken(12);
	await createUser(store, { email, name: 'Admin', role: 'admin', password });
	return { email, password: opts.password ? null : password };
}
