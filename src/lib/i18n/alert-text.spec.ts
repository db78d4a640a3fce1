import { describe, expect, it } from 'vitest';
import { alertDetail, alertNote } from './alert-text';

describe('alert text in both languages', () => {
	it('renders the detail from its key and values', () => {
		const a = {
			detail: 'attendance 80.0% < 85.0%',
			detail_args: JSON.stringify({ key: 'attendance_low', p: { value: 0.8, below: 0.85 } })
		};
		expect(alertDetail(a, 'vi')).toBe('chuyên cần 80,0% < 85,0%');
		expect(alertDetail(a, 'en')).toBe('attendance 80.0% < 85.0%');
		const c = {
			detail: '',
			detail_args: JSON.stringify({ key: 'completeness_overdue', p: { value: 0.5, hours: 48 } })
		};
		expect(alertDetail(c, 'vi')).toBe(
			'dữ liệu đã điền 50,0%, lần đồng bộ gần nhất lên Sở quá 48 giờ'
		);
	});
	it('keeps an older alert’s English detail, and a damaged key', () => {
		expect(alertDetail({ detail: '96.5% filled', detail_args: '' }, 'vi')).toBe('96.5% filled');
		expect(alertDetail({ detail: 'x', detail_args: '{"key":"nope","p":{}}' }, 'vi')).toBe('x');
	});
	it('translates the system notes, not a person’s', () => {
		expect(
			alertNote({ action: 'resolved', actor: 'system', note: 'the condition cleared' }, 'vi')
		).toBe('điều kiện đã hết');
		expect(
			alertNote(
				{ action: 'escalated', actor: 'system', note: 'not acknowledged within 15 min' },
				'vi'
			)
		).toBe('không được xác nhận trong 15 phút');
		expect(alertNote({ action: 'commented', actor: 'user:x', note: 'đã gọi' }, 'en')).toBe(
			'đã gọi'
		);
	});
});
