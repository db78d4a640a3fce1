import { describe, expect, it } from 'vitest';
import type { Health } from '../../shared/health';
import type { OpenAlert } from '../../shared/wall';
import { tickerItems } from './ticker';

const now = Date.parse('2026-11-03T03:00:00Z');
const health = {
	problems: [],
	source: 'nats',
	ingest: { last_event_at: new Date(now - 1000).toISOString(), last_event_at_by_kind: {} }
} as unknown as Health;
const alert = (
	id: string,
	rule: OpenAlert['rule_id'],
	school: string,
	state: OpenAlert['state'] = 'firing',
	severity: OpenAlert['severity'] = 'watch'
): OpenAlert => ({
	id,
	rule_id: rule,
	school_id: school,
	district_id: 'ninh-kieu',
	state,
	severity,
	opened_at: now - 60_000 * Number(id),
	detail: '',
	escalated_at: 0
});

describe('the ticker and the open alerts', () => {
	it('says one thing per rule, urgent rules first, with how many schools; acknowledged ones as a count', () => {
		const items = tickerItems({
			now,
			health,
			staleAfterS: 90,
			rejects5m: 0,
			kpis: null,
			inSchoolHours: () => true,
			schoolName: (id) => `Trường ${id}`,
			alerts: [
				alert('1', 'completeness_low', 'a'),
				alert('2', 'completeness_low', 'b'),
				alert('3', 'school_silent', 'c', 'firing', 'alert'),
				alert('4', 'library_silent', ''),
				alert('5', 'uptime_low', 'd', 'acknowledged'),
				alert('6', 'uptime_low', 'e', 'acknowledged')
			]
		});
		expect(items.map((x) => [x.key, x.severity, x.params])).toEqual([
			['ticker.alert', 'alert', { rule: 'school_silent', school: 'Trường c', n: 1 }],
			['ticker.alerts_rule', 'watch', { rule: 'completeness_low', school: 'Trường a', n: 2 }],
			['ticker.alert_city', 'watch', { rule: 'library_silent', school: '', n: 1 }],
			['ticker.alerts_acked', 'info', { n: 2 }]
		]);
		// since: the oldest of the rule's alerts
		expect(items[1].since).toBe(new Date(now - 120_000).toISOString());
	});
});
