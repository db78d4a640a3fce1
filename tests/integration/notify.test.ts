/**
 * Alert notifications end to end over real servers, with the store on SQLite and on PostgreSQL:
 * a real SMTP server (smtp-server), a local Web Push service that checks the VAPID signature and
 * decrypts the payload as a browser would (RFC 8291), and a webhook receiver that runs the
 * documented verification code. Firing and escalation mails arrive once each, in each person's
 * language, also across a restart of the dispatcher; a webhook answering 500 is retried with
 * back-off; a hanging one costs a timeout, never the evaluator; a replayed or tampered delivery
 * is refused by the receiver.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailer } from '#server/notify/channels';
import { NotifyService } from '#server/notify/service';
import { vapidKeys } from '#server/notify/vapid';
import { SIGNATURE_HEADER, signWebhook } from '#server/notify/webhook-signature';
import { logger, setLogLevel } from '#server/platform/log';
import type { CH } from '#server/platform/clickhouse/client';
import { RegistryCache } from '#server/platform/registry/cache';
import { acknowledge, applyEvaluation, listRules, type Condition } from '#server/store/alerts';
import {
	createWebhook,
	listDeliveries,
	saveSettings,
	savePushSubscription,
	setEscalationContacts
} from '#server/store/notify';
import { openStore, type Store } from '#server/store/open';
import { createUser } from '#server/store/users';
import { DEFAULT_SETTINGS } from '#shared/notify';
import { localMs } from '#shared/calendar';
import { testRegistry } from '#harness/events';
import { tempPostgres } from '#harness/pg';
import { startPushService, type TestPushService } from '#harness/push-service';
import { startSmtpServer, type TestSmtp } from '#harness/smtp';
import { startWebhookReceiver, type TestWebhookReceiver } from '#harness/webhook-receiver';

setLogLevel('error');
const reg = testRegistry();
const [nk1, , cd1] = reg.schools;
const registry = new RegistryCache(null as unknown as CH);
registry.set(reg);
// Tuesday 3 November 2026, 07:40 in Cần Thơ
const t0 = localMs(2026, 11, 3, 7, 40);
const M = 60_000;
const ORIGIN = 'https://edu.example.vn';

const silent = (s: typeof nk1): Condition => ({
	rule_id: 'school_silent',
	school_id: s.school_id,
	district_id: s.area_id,
	value: null,
	detail: 'nothing heard for 20 min',
	args: { key: 'silent_for', p: { minutes: 20 } }
});

for (const engine of ['sqlite', 'postgres'] as const)
	describe(`notifications (${engine})`, () => {
		let dir: string;
		let pg: { url: string; drop(): Promise<void> } | null = null;
		let store: Store;
		let smtp: TestSmtp;
		let push: TestPushService;
		let hook: TestWebhookReceiver;
		let svc: NotifyService;
		const ids: Record<string, string> = {};
		const open = () => openStore({ dataDir: dir, databaseUrl: pg?.url }).then((s) => (store = s));
		const service = async (retryDelaysS?: number[]) =>
			new NotifyService({
				store,
				registry,
				log: logger('notify'),
				mailer: mailer(smtp.url, 'Trung tâm điều hành <canhbao@edu.example.vn>', 'edu.example.vn'),
				emailOn: true,
				vapid: await vapidKeys(store, 'canhbao@edu.example.vn'),
				origin: ORIGIN,
				retryDelaysS
			});
		const to = (addr: string) =>
			smtp.messages.filter((m) =>
				(Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes(addr))
			);

		beforeAll(async () => {
			dir = mkdtempSync(path.join(tmpdir(), 'edu-notify-'));
			if (engine === 'postgres') pg = await tempPostgres();
			[smtp, push, hook] = await Promise.all([
				startSmtpServer(),
				startPushService(),
				startWebhookReceiver()
			]);
			await open();
			const op = await createUser(store, {
				email: 'truc.ban@so-gddt.cantho.vn',
				role: 'operator',
				password: 'a-long-password-1'
			});
			const en = await createUser(store, {
				email: 'district.head@ninhkieu.cantho.vn',
				role: 'leader',
				password: 'a-long-password-2'
			});
			const esc = await createUser(store, {
				email: 'truong.phong@ninhkieu.cantho.vn',
				role: 'leader',
				password: 'a-long-password-3'
			});
			Object.assign(ids, { op: op.id, en: en.id, esc: esc.id });
			// the operator: email and push, every severity, Vietnamese
			await saveSettings(store, op.id, {
				...DEFAULT_SETTINGS,
				channels: ['email', 'push'],
				severities: ['watch', 'alert']
			});
			await savePushSubscription(store, op.id, push.subscribe(), 'test');
			// a district head in English, Ninh Kiều only, urgent only
			await saveSettings(store, en.id, {
				...DEFAULT_SETTINGS,
				districts: ['ninh-kieu'],
				locale: 'en'
			});
			// the escalation contact of Ninh Kiều wants nothing by default: only escalations reach them
			await saveSettings(store, esc.id, { ...DEFAULT_SETTINGS, channels: [], severities: [] });
			await setEscalationContacts(store, 'ninh-kieu', [esc.id], 'test');
			const h = await createWebhook(
				store,
				{
					label: 'IOC Cần Thơ',
					url: hook.url,
					districts: [],
					severities: ['watch', 'alert'],
					on_resolve: true
				},
				'test'
			);
			hook.secret = h.secret;
			svc = await service([30, 120]);
		}, 60_000);

		afterAll(async () => {
			await svc?.stop();
			await store?.close();
			await Promise.all([smtp?.stop(), push?.stop(), hook?.stop()]);
			await pg?.drop();
			rmSync(dir, { recursive: true, force: true });
		});

		it('a school going dark: each person gets it once, in their language, on their channels', async () => {
			const rules = await listRules(store);
			const [fired] = await applyEvaluation(store, rules, ['school_silent'], [silent(nk1)], t0);
			ids.alert = fired.alert.id;
			await svc.tick(t0);
			await smtp.waitFor(2);
			const [vi] = to('truc.ban@');
			expect(vi.subject).toBe(
				'[Khẩn] Trường mất liên lạc — Trường Tiểu học Thử Nghiệm 1 (Ninh Kiều)'
			);
			expect(vi.text).toContain('Chi tiết: không nhận được dữ liệu trong 20 phút');
			expect(vi.text).toContain(`Mở cảnh báo để xác nhận: ${ORIGIN}/alerts/${ids.alert}`);
			expect(vi.html).toContain(`href="${ORIGIN}/alerts/${ids.alert}"`);
			const [en] = to('district.head@');
			expect(en.subject).toBe('[Urgent] School silent — Trường Tiểu học Thử Nghiệm 1 (Ninh Kiều)');
			expect(en.text).toContain('Detail: nothing heard for 20 min');
			// a leader opens the school's page, not the operators' console
			expect(en.text).toContain(`${ORIGIN}/schools/${nk1.school_id}?lang=en`);
			expect(to('truong.phong@')).toHaveLength(0);
			// the push: VAPID-signed for the push service's origin, decrypted with the device's key
			expect(push.errors).toEqual([]);
			expect(push.received).toHaveLength(1);
			const p = JSON.parse(push.received[0].payload);
			expect(p).toMatchObject({
				title: '[Khẩn] Trường mất liên lạc — Trường Tiểu học Thử Nghiệm 1 (Ninh Kiều)',
				url: `${ORIGIN}/alerts/${ids.alert}`,
				tag: `alert-${ids.alert}`
			});
			expect(push.received[0].vapid.aud).toBe(new URL(push.received[0].vapid.aud).origin);
			expect(push.received[0].vapid.sub).toBe('mailto:canhbao@edu.example.vn');
			expect(push.received[0].headers.urgency).toBe('high');
			// the webhook: signed, verified by the receiver's code
			expect(hook.deliveries).toHaveLength(1);
			expect(hook.deliveries[0].verdict.ok).toBe(true);
			expect(JSON.parse(hook.deliveries[0].body)).toMatchObject({
				type: 'alert.fired',
				alert: { id: ids.alert, rule: 'school_silent', school_id: nk1.school_id }
			});
			// evaluated again: the same alert, no new transition, nothing sent again
			await applyEvaluation(store, rules, ['school_silent'], [silent(nk1)], t0 + M);
			await svc.tick(t0 + M);
			expect(smtp.messages).toHaveLength(2);
			expect(push.received).toHaveLength(1);
		});

		it('a restart sends nothing twice; the escalation reaches the district contact once', async () => {
			await svc.stop();
			await store.close();
			await open();
			svc = await service([30, 120]);
			await svc.tick(t0 + 2 * M);
			expect(smtp.messages).toHaveLength(2);
			expect(hook.deliveries).toHaveLength(1);
			// 16 minutes on, still not acknowledged: escalated (school_silent escalates after 15)
			const rules = await listRules(store);
			hook.answers.push(500, 500);
			const ts = await applyEvaluation(store, rules, ['school_silent'], [silent(nk1)], t0 + 16 * M);
			expect(ts.map((t) => t.action)).toEqual(['escalated']);
			await svc.tick(t0 + 16 * M);
			await smtp.waitFor(5);
			const [esc] = to('truong.phong@');
			expect(esc.subject).toBe(
				'[Chuyển cấp] Trường mất liên lạc — Trường Tiểu học Thử Nghiệm 1 (Ninh Kiều)'
			);
			expect(esc.text).toContain('chưa được xác nhận trong thời hạn và được chuyển cấp');
			expect(to('truc.ban@').map((m) => m.subject)).toEqual([
				'[Khẩn] Trường mất liên lạc — Trường Tiểu học Thử Nghiệm 1 (Ninh Kiều)',
				'[Chuyển cấp] Trường mất liên lạc — Trường Tiểu học Thử Nghiệm 1 (Ninh Kiều)'
			]);
			expect(to('district.head@').map((m) => m.subject)).toEqual([
				'[Urgent] School silent — Trường Tiểu học Thử Nghiệm 1 (Ninh Kiều)',
				'[Escalated] School silent — Trường Tiểu học Thử Nghiệm 1 (Ninh Kiều)'
			]);
			// the same Message-ID is never used for two deliveries
			expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(5);
			// the webhook answered 500: retried after 30 s, then 120 s, then taken
			let [d] = await listDeliveries(store, { channel: 'webhook', alertId: ids.alert });
			expect(d).toMatchObject({ action: 'escalated', state: 'pending', attempts: 1 });
			expect(d.last_error).toBe('webhook: HTTP 500');
			await svc.tick(t0 + 16 * M + 10_000);
			expect(hook.deliveries).toHaveLength(2); // not yet due
			await svc.tick(t0 + 16 * M + 31_000);
			await svc.tick(t0 + 16 * M + 31_000 + 121_000);
			[d] = await listDeliveries(store, { channel: 'webhook', alertId: ids.alert });
			expect(d).toMatchObject({ state: 'sent', attempts: 3 });
			expect(hook.deliveries.map((x) => x.status)).toEqual([200, 500, 500, 200]);
			// another restart: still nothing new
			await svc.stop();
			await store.close();
			await open();
			svc = await service([30, 120]);
			await svc.tick(t0 + 30 * M);
			expect(smtp.messages).toHaveLength(5);
			expect(push.received).toHaveLength(2);
			expect(hook.deliveries).toHaveLength(4);
		});

		it('the receiver refuses a replayed, a tampered and a stale delivery', async () => {
			const ok = hook.deliveries.at(-1)!;
			const headers = {
				'content-type': 'application/json',
				[SIGNATURE_HEADER]: ok.headers[SIGNATURE_HEADER] as string,
				'x-edu-delivery': ok.headers['x-edu-delivery'] as string
			};
			expect(await hook.post(ok.body, headers)).toBe(401);
			expect(hook.deliveries.at(-1)!.verdict).toEqual({ ok: false, reason: 'replayed' });
			const tampered = ok.body.replace('"school_silent"', '"library_silent"');
			expect(await hook.post(tampered, { ...headers, 'x-edu-delivery': 'new-id' })).toBe(401);
			expect(hook.deliveries.at(-1)!.verdict).toEqual({ ok: false, reason: 'signature' });
			const old = Math.floor(Date.now() / 1000) - 3600;
			const stale = { ...headers, 'x-edu-delivery': 'another-id' };
			stale[SIGNATURE_HEADER] = signWebhook(hook.secret, ok.body, old);
			expect(await hook.post(ok.body, stale)).toBe(401);
			expect(hook.deliveries.at(-1)!.verdict).toEqual({ ok: false, reason: 'stale' });
		});

		it('a hanging webhook costs a timeout, never the evaluator', async () => {
			const rules = await listRules(store);
			hook.answers.push(0);
			await applyEvaluation(
				store,
				rules,
				['school_silent'],
				[silent(nk1), silent(cd1)],
				t0 + 40 * M
			);
			const started = Date.now();
			const sending = svc.tick(t0 + 40 * M);
			// meanwhile the evaluator writes its next evaluation at once
			await new Promise((r) => setTimeout(r, 300));
			const ev = Date.now();
			await acknowledge(store, ids.alert, 'user:test', 'đang gọi trường');
			expect(Date.now() - ev).toBeLessThan(1000);
			await sending;
			const took = Date.now() - started;
			expect(took).toBeGreaterThan(4000);
			expect(took).toBeLessThan(15_000);
			const [d] = await listDeliveries(store, { channel: 'webhook', state: 'pending' });
			expect(d.last_error).toBe('webhook: timed out');
			// the Cờ Đỏ alert: the operator's mail went out beside the hanging webhook
			expect(to('truc.ban@').at(-1)!.subject).toContain('Trường Tiểu học Cờ Đỏ Thử (Cờ Đỏ)');
		}, 30_000);

		it('a push subscription the service says is gone (410) is dropped', async () => {
			const rules = await listRules(store);
			push.answers.push(410);
			await applyEvaluation(store, rules, ['school_silent'], [], t0 + 50 * M);
			// both alerts resolve; the operator does not want resolutions: nothing for them
			await svc.tick(t0 + 50 * M);
			const before = (await listDeliveries(store, { channel: 'push' })).length;
			await applyEvaluation(store, rules, ['school_silent'], [silent(nk1)], t0 + 60 * M);
			await svc.tick(t0 + 60 * M);
			const [d] = await listDeliveries(store, { channel: 'push' });
			expect((await listDeliveries(store, { channel: 'push' })).length).toBe(before + 1);
			expect(d).toMatchObject({ state: 'failed', last_error: 'push: subscription gone (410)' });
			const left = await store.db.selectFrom('push_subscriptions').selectAll().execute();
			expect(left).toHaveLength(0);
		});
	});
