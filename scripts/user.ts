/**
 * npm run user -- <command>: manage accounts from the shell (the same store the app uses:
 * DATA_DIR's SQLite, or DATABASE_URL).
 *   add <email> <role> [name]   create an account; prints a random password once
 *   role <email> <role>         change its role (leader, analyst, operator, admin)
 *   disable <email>             disable it and end its sessions (enable <email> undoes it)
 *   password <email>            set a new random password, printed once; ends its sessions
 *   scope <email> <city|district:<id>|school:<id>>
 *                               what the account sees (docs/scopes.md); the id is checked
 *                               against the registry in ClickHouse (run it where the app's
 *                               storage is reachable: CLICKHOUSE_URL, or DATA_DIR's chDB)
 *   list                        accounts, roles and scopes
 */
import { hashPassword } from '#server/store/password';
import { randomToken } from '#server/store/secret-token';
import { loadConfig } from '#server/platform/config';
import { audit } from '#server/store/audit';
import { openStore } from '#server/store/open';
import { prepareStorage } from '#server/platform/storage';
import { formatScope, parseScope, scopeExists } from '#shared/scope';
import { invalidateUserSessions } from '#server/store/sessions';
import {
	UserError,
	createUser,
	findUserByEmail,
	listUsers,
	scopeOf,
	setDisabled,
	setRole,
	setScope
} from '#server/store/users';

const USAGE =
	'usage: npm run user -- add <email> <role> [name] | role <email> <role> | scope <email> <city|district:<id>|school:<id>> | disable <email> | enable <email> | password <email> | list';

async function main(argv: string[]): Promise<number> {
	const [cmd, email, arg] = argv;
	const cfg = loadConfig();
	const store = await openStore({ dataDir: cfg.dataDir, databaseUrl: cfg.store.databaseUrl });
	const log = (action: string, target: string, detail: Record<string, unknown> = {}) =>
		audit(store, { actor: 'cli', action, target: `account:${target}`, detail });
	try {
		switch (cmd) {
			case 'add': {
				if (!email || !arg) break;
				const password = randomToken(12);
				const u = await createUser(store, {
					email,
					role: arg,
					name: argv.slice(3).join(' '),
					password
				});
				await log('user.create', u.email, { role: u.role });
				console.log(
					`created ${u.email} (${u.role})\npassword: ${password}\n(shown once: pass it on safely)`
				);
				return 0;
			}
			case 'role': {
				if (!email || !arg) break;
				const u = await setRole(store, email, arg);
				await log('user.role', u.email, { role: u.role });
				console.log(`${u.email} is now ${u.role}`);
				return 0;
			}
			case 'scope': {
				if (!email || !arg) break;
				const scope = parseScope(arg);
				if (!scope) {
					console.error(`error: "${arg}" is not a scope: write city, district:<id> or school:<id>`);
					return 1;
				}
				if (scope.kind !== 'city') {
					// the registry lives in ClickHouse: open it as every process does, read-only here
					let storage: Awaited<ReturnType<typeof prepareStorage>>;
					try {
						storage = await prepareStorage(cfg);
					} catch (e) {
						console.error(
							`error: cannot read the school registry to check "${arg}" (${e instanceof Error ? e.message : e}); with the embedded chDB, stop the app first or set CLICKHOUSE_URL`
						);
						return 1;
					}
					const { ch, registry } = storage;
					try {
						if (!scopeExists(scope, registry.registry)) {
							const known =
								scope.kind === 'district'
									? registry
											.areasAt('district')
											.map((a) => a.area_id)
											.join(', ')
									: 'see the registry (e.g. ct-916-001)';
							console.error(
								`error: no ${scope.kind} "${scope.kind === 'district' ? scope.district : scope.school}" in the registry; known: ${known}`
							);
							return 1;
						}
					} finally {
						await ch.close();
					}
				}
				const before = await findUserByEmail(store, email);
				const u = await setScope(store, email, scope);
				await log('user.scope', u.email, {
					scope: formatScope(scopeOf(u)) || 'city',
					was: before?.scope || 'city'
				});
				console.log(`${u.email} now sees ${formatScope(scopeOf(u)) || 'the whole city'}`);
				return 0;
			}
			case 'disable':
			case 'enable': {
				if (!email) break;
				const u = await setDisabled(store, email, cmd === 'disable');
				await log(`user.${cmd}`, u.email);
				console.log(`${u.email} ${cmd}d`);
				return 0;
			}
			case 'password': {
				if (!email) break;
				const u = await findUserByEmail(store, email);
				if (!u) throw new UserError('unknown', `no account for ${email}`);
				const password = randomToken(12);
				await store.db
					.updateTable('users')
					.set({ password_hash: await hashPassword(password), updated_at: Date.now() })
					.where('id', '=', u.id)
					.execute();
				const ended = await invalidateUserSessions(store, u.id);
				await log('user.password', u.email, { sessions_ended: ended });
				console.log(`new password for ${u.email}: ${password}\n(${ended} session(s) ended)`);
				return 0;
			}
			case 'list': {
				for (const u of await listUsers(store))
					console.log(
						`${u.email.padEnd(40)} ${u.role.padEnd(9)} ${(u.scope || 'city').padEnd(24)} ${u.disabled ? 'disabled' : ''}`
					);
				return 0;
			}
		}
		console.error(USAGE);
		return 2;
	} catch (e) {
		if (e instanceof UserError) {
			console.error(`error: ${e.message}`);
			return 1;
		}
		throw e;
	} finally {
		await store.close();
	}
}

process.exitCode = await main(process.argv.slice(2));
