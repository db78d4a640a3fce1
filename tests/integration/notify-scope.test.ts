/**
 * Notifications follow accounts' scopes, on SQLite and on PostgreSQL: an alert at a Ninh Kiều
 * school is planned for the city's accounts and Ninh Kiều's, never for an account scoped to Cờ Đỏ
 * or to one Cờ Đỏ school; an alert at that school reaches its school's and its district's accounts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailer } from '#server/notify/channels';
import { NotifyService } from '#server/notify/service';
import { vapidKeys } from '#server/notify/vapid';
import { logger, setLogLevel } from '#server/platform/log';
import type { CH } from '#server/platform/clickhouse/client';
import { RegistryCache } from '#server/platform/registry/cache';
import { applyEvaluation, listRules, type Condition } from '#server/store/alerts';
import { listDeliveries, saveSettings } from '#server/store/notify';
import { openStore, type Store } from '#server/store/open';
import { createUser, setScope } from '#server/store/users';
import { DEFAULT_SETTINGS } from '#shared/notify';
import { localMs } from '#shared/calendar';
import type { School } from '#shared/registry';
import { testRegistry } from '#harness/events';
import { tempPostgres } from '#harness/pg';

setLogLevel('error');
const reg = testRegistry();
const [nk1, , cd1] = reg.schools;
const registry = new RegistryCache(null as unknown as CH);
registry.set(reg);
const t0 = localMs(2026, 11, 3, 7, 40);

const silent = (s: School): Condition => ({
	rule_id: 'school_silent',
	school_id: s.school_id,
	district_id: s.area_id,
	value: null,
	detail: 'nothing heard for 20 min',
	args: { key: 'silent_for', p: { minutes: 20 } }
});

for (const engine of ['sqlite', 'postgres'] as const)
	describe(`notifications follow scopes (${engine})`, () => {
		let dir: string;
		let pg: { url: string; drop(): Promise<void> } | null = null;
		let store: Store;
		let svc: NotifyService;
		const ids: Record<string, string> = {};

		beforeAll(async () => {
			dir = mkdtempSync(path.join(tmpdir(), 'edu-notify-scope-'));
			if (engine === 'postgres') pg = await tempPostgres();
			store = await openStore({ dataDir: dir, databaseUrl: pg?.url });
			const people = {
				city: ['truc.ban@so-gddt.cantho.vn', 'operator', ''],
				coDo: ['phong.gd@codo.cantho.vn', 'operator', 'district:co-do'],
				school: ['hieu.truong@codo.cantho.vn', 'analyst', `school:${cd1.school_id}`],
				ninhKieu: ['phong.gd@ninhkieu.cantho.vn', 'leader', 'district:ninh-kieu']
			} as const;
			for (const [key, [email, role, scope]] of Object.entries(people)) {
				const u = await createUser(store, { email, role, password: `a-long-password-${key}` });
				if (scope)
					await setScope(
						store,
						email,
						scope.startsWith('district:')
							? { kind: 'district', district: scope.slice(9) }
							: { kind: 'school', school: scope.slice(7) }
					);
				// everyone wants every alert of every district, by email: only the scope decides
				await saveSettings(store, u.id, { ...DEFAULT_SETTINGS, severities: ['watch', 'alert'] });
				ids[key] = u.id;
			}
			svc = new NotifyService({
				store,
				registry,
				log: logger('notify'),
				mailer: mailer(undefined, 'Trung tâm điều hành <canhbao@edu.example.vn>', 'edu.example.vn'),
				emailOn: false,
				vapid: await vapidKeys(store, 'canhbao@edu.example.vn'),
				origin: 'https://edu.example.vn'
			});
		}, 60_000);

		afterAll(async () => {
			await svc?.stop();
			await store?.close();
			await pg?.drop();
			rmSync(dir, { recursive: true, force: true });
		});

		it("plans another district's alert for nobody scoped elsewhere", async () => {
			const rules = await listRules(store);
			const [nk] = await applyEvaluation(store, rules, ['school_silent'], [silent(nk1)], t0);
			await svc.plan(t0);
			const to = (await listDeliveries(store, { alertId: nk.alert.id })).map((d) => d.target);
			expect(to.sort()).toEqual([ids.city, ids.ninhKieu].sort());
		});

		it("plans a school's alert for its school's and its district's accounts", async () => {
			const rules = await listRules(store);
			const fired = await applyEvaluation(
				store,
				rules,
				['school_silent'],
				[silent(nk1), silent(cd1)],
				t0 + 60_000
			);
			const cd = fired.find((f) => f.alert.school_id === cd1.school_id)!;
			await svc.plan(t0 + 60_000);
			const to = (await listDeliveries(store, { alertId: cd.alert.id })).map((d) => d.target);
			expect(to.sort()).toEqual([ids.city, ids.coDo, ids.school].sort());
		});
	});
