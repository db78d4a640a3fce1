/** Every UI string, Vietnamese first, English second. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const vi = {
	'app.title': 'Trung tâm điều hành giáo dục thông minh Cần Thơ',
	'app.subtitle': 'Theo dõi trực tiếp Kế hoạch 83/KH-UBND: chuyên cần, thiết bị lớp học, thư viện điện tử, dữ liệu ngành',
	'status.heading': 'Tình trạng hệ thống',
	'status.mode': 'Chế độ',
	'status.mode.embedded': 'Nhúng (chDB, dữ liệu mô phỏng trong tiến trình)',
	'status.mode.server': 'Máy chủ (ClickHouse, NATS JetStream)',
	'status.schools': 'Trường học',
	'status.districts': 'Quận, huyện',
	'status.events': 'Sự kiện đã ghi',
	'status.rejects': 'Sự kiện bị từ chối',
	'status.lag': 'Hàng đợi',
	'status.last_event': 'Sự kiện gần nhất',
	'status.never': 'chưa có',
	'status.ok': 'Hoạt động bình thường',
	'status.degraded': 'Có vấn đề',
	'status.starting': 'Đang khởi động',
	'status.feed_on': 'Nguồn dữ liệu mô phỏng đang chạy',
	'status.updated': 'Cập nhật lúc',
	'link.health': 'API tình trạng (JSON)',
	'link.contract': 'Hợp đồng dữ liệu sự kiện (JSON Schema)',
	'lang.switch': 'English'
} as const;

export type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> = {
	'app.title': 'Cần Thơ Smart Education Operations Centre',
	'app.subtitle': 'Live window on Plan 83/KH-UBND: attendance, classroom devices, e-libraries, sector data',
	'status.heading': 'System status',
	'status.mode': 'Mode',
	'status.mode.embedded': 'Embedded (chDB, simulated data in process)',
	'status.mode.server': 'Servers (ClickHouse, NATS JetStream)',
	'status.schools': 'Schools',
	'status.districts': 'Districts',
	'status.events': 'Events written',
	'status.rejects': 'Events rejected',
	'status.lag': 'Queue',
	'status.last_event': 'Last event',
	'status.never': 'none yet',
	'status.ok': 'All systems normal',
	'status.degraded': 'Problems',
	'status.starting': 'Starting',
	'status.feed_on': 'Simulated feed is running',
	'status.updated': 'Updated at',
	'link.health': 'Health API (JSON)',
	'link.contract': 'Event data contract (JSON Schema)',
	'lang.switch': 'Tiếng Việt'
};

export const dictionaries: Record<Locale, Record<MessageKey, string>> = { vi, en };

/** Translate a key; Vietnamese is the default. */
export function t(locale: Locale, key: MessageKey): string {
	return dictionaries[locale][key] ?? dictionaries.vi[key];
}

export function parseLocale(v: string | null | undefined): Locale {
	return v === 'en' ? 'en' : 'vi';
}
