/** Every UI string, Vietnamese first, English second. Views with many strings keep them in their own file. */
import { alertsEn, alertsVi } from './alerts';
import { authEn, authVi } from './auth';
import { digestEn, digestVi } from './digest';
import { drillEn, drillVi } from './drill';
import { notifyEn, notifyVi } from './notify';
import { plan83En, plan83Vi } from './plan83';
import { reportsEn, reportsVi } from './reports';
import { scopeEn, scopeVi } from './scope';

export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const base = {
	'app.title': 'Trung tâm điều hành giáo dục thông minh Cần Thơ',
	'app.subtitle':
		'Theo dõi trực tiếp Kế hoạch 83/KH-UBND: chuyên cần, thiết bị lớp học, thư viện điện tử, dữ liệu ngành',
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
	'lang.switch': 'English',
	'wall.title': 'Giáo dục thông minh Cần Thơ',
	'wall.subtitle': 'Trung tâm điều hành · Kế hoạch 83/KH-UBND',
	'wall.day': 'Ngày số liệu',
	'wall.demo_day': 'ngày học mô phỏng',
	'wall.city': 'Toàn thành phố',
	'wall.phone.text':
		'Màn hình điều hành được làm cho màn hình lớn của trung tâm. Trên điện thoại, hãy mở trang của một quận, huyện hoặc bảng cảnh báo.',
	'wall.phone.districts': 'Quận, huyện',
	'wall.phone.alerts': 'Bảng cảnh báo cho trực ban',
	'wall.live': 'Trực tiếp',
	'wall.connecting': 'Đang kết nối…',
	'wall.disconnected': 'Mất kết nối',
	'wall.stream_stopped': 'Luồng dữ liệu dừng',
	'wall.banner.disconnected':
		'Mất kết nối tới máy chủ từ {since}. Số liệu trên màn hình là số liệu cũ; đang tự kết nối lại.',
	'wall.banner.stream_down':
		'Luồng dữ liệu đã dừng: không nhận được sự kiện nào từ {since}. Số liệu trên màn hình không còn là trực tiếp.',
	'wall.banner.never': 'Chưa nhận được dữ liệu nào.',
	'wall.stale': 'DỮ LIỆU CŨ',
	'wall.age': 'cập nhật {age} trước',
	'wall.age.none': 'chưa có dữ liệu',
	'wall.nodata': 'Không có số liệu',
	'wall.vs_prev': 'so với hôm trước',
	'wall.vs_prev.attendance': 'so với ngày học trước',
	'wall.vs_prev.uptime': 'so với cùng giờ hôm qua',
	'wall.vs_prev.library': 'so với cùng giờ hôm qua',
	'wall.vs_prev.completeness': 'so với đầu ngày',
	'wall.no_prev': 'chưa có số liệu để so sánh',
	'wall.target': 'Mục tiêu {v}',
	'wall.baseline': 'Mức thường ngày = 100%',
	'kpi.attendance': 'Chuyên cần hôm nay',
	'kpi.uptime': 'Thiết bị lớp học hoạt động',
	'kpi.library': 'Thư viện điện tử hôm nay',
	'kpi.completeness': 'Dữ liệu ngành đầy đủ',
	'kpi.short.attendance': 'Chuyên cần',
	'kpi.short.uptime': 'Thiết bị',
	'kpi.short.library': 'Thư viện',
	'kpi.short.completeness': 'Dữ liệu',
	'kpi.detail.attendance':
		'{present} / {enrolled} học sinh có mặt · {unexcused} vắng không phép · {schools}/{total} trường đã báo',
	'kpi.detail.uptime': '{n} trường trong giờ học · 15 phút gần nhất',
	'kpi.detail.library': '{today} lượt mượn, trả, đọc, đến · mức thường ngày {baseline}',
	'kpi.detail.completeness':
		'{overdue} trường quá hạn đồng bộ (>48 giờ) · lần đồng bộ cũ nhất {oldest} trước',
	'kpi.def.attendance':
		'Tỷ lệ chuyên cần = số học sinh có mặt ÷ sĩ số, cộng trên các lớp và buổi học đã báo cáo hôm nay. Vắng có phép vẫn là vắng; vắng không phép là tín hiệu nghỉ học kéo dài. Trường chưa báo cáo không được tính là 0.',
	'kpi.def.uptime':
		'Thời gian hoạt động = số giây thiết bị lớp học (máy chiếu, TV thông minh, bảng tương tác, máy tính, ki-ốt thư viện) báo “hoạt động” ÷ thời gian theo lịch học, trong 15 phút gần nhất. Thiết bị không gửi tín hiệu trong khoảng của nó được tính là không hoạt động.',
	'kpi.def.library':
		'Sử dụng thư viện = lượt mượn + trả + mở sách điện tử + lượt đến, từ đầu ngày đến giờ, so với trung bình cùng thứ trong 4 tuần trước (đến cùng giờ) của chính trường đó. 100% là mức thường ngày.',
	'kpi.def.completeness':
		'Độ đầy đủ dữ liệu = số trường bắt buộc đã nhập ÷ số trường bắt buộc, trên 9 bộ dữ liệu (trường, điểm trường, lớp, học sinh, cán bộ, cơ sở vật chất, tài chính, tuyển sinh, kết quả học tập), cùng độ mới: thời gian từ lần đồng bộ gần nhất lên cơ sở dữ liệu của Sở và của Bộ.',
	'kpi.def.status':
		'Trạng thái của trường: tốt, cần theo dõi, cảnh báo theo ngưỡng của từng chỉ số (lấy chỉ số xấu nhất); “không có số liệu” khi không nhận được gì từ trường — không bao giờ hiển thị như số 0.',
	'kpi.thresholds': 'Ngưỡng: theo dõi dưới {watch}, cảnh báo dưới {alert}.',
	'help.open': 'Định nghĩa chỉ số',
	'help.title': 'Các chỉ số được tính như thế nào',
	'help.close': 'Đóng',
	'status.good': 'Tốt',
	'status.watch': 'Cần theo dõi',
	'status.alert': 'Cảnh báo',
	'status.nodata': 'Không có số liệu',
	'map.legend': 'Trạng thái trường',
	'map.choropleth': 'Màu quận, huyện theo: {kpi}',
	'map.credits': 'Ranh giới: Who’s On First (CC0) · Sông: Natural Earth',
	'map.river': 'Sông Hậu',
	'map.gesture.touch': 'Dùng hai ngón tay để kéo bản đồ; một ngón để cuộn trang',
	'map.gesture.windows': 'Giữ Ctrl và cuộn để phóng to bản đồ',
	'map.gesture.mac': 'Giữ ⌘ và cuộn để phóng to bản đồ',
	'map.schools': '{n} trường',
	'rotate.on': 'Tự động xoay vòng: {area} ({i}/{n})',
	'rotate.paused': 'Tạm dừng xoay vòng (có thao tác) — tiếp tục sau {s} giây',
	'rotate.bad': 'Tham số rotate không hợp lệ: {bad}. Mã hợp lệ: city, {known}.',
	'rotate.bad_dwell': 'Tham số dwell phải là số giây từ 5 đến 3600; dùng {dwell} giây.',
	'theme.bad': 'Tham số theme không hợp lệ: {theme}. Giá trị hợp lệ: {known}; dùng giao diện tối.',
	'districts.title': 'Xếp hạng quận, huyện · {kpi}',
	'trend.title.daily': '{kpi} · 14 ngày',
	'trend.title.hourly': '{kpi} · hôm nay theo giờ',
	'trend.city': 'Toàn thành phố',
	'plan.title': 'Tiến độ Kế hoạch 83',
	'plan.multimedia': 'Trường có phòng học đa phương tiện',
	'plan.smart': 'Trường có phòng học thông minh',
	'plan.elibrary': 'Trường có thư viện điện tử',
	'plan.installed_vs_plan': '{installed} đã lắp / {planned} theo kế hoạch đến {year}',
	'plan.target.multimedia_share_2025': '15% phòng học đa phương tiện ở đô thị (2025)',
	'plan.target.classroom_equipment_2030': '95% trường đủ thiết bị phòng học (2030)',
	'plan.target.elibrary_equipment_2030': '95% trường có thư viện điện tử (2030)',
	'plan.target.data_sync_2030': '100% trường đồng bộ dữ liệu (2030)',
	'health.title': 'Luồng dữ liệu',
	'health.rate': '{n} sự kiện/giây',
	'health.rejects': '{n} bị từ chối (5 phút)',
	'health.lag': 'hàng đợi {n}',
	'health.last': 'sự kiện cuối {t}',
	'health.source.embedded-feed': 'nguồn mô phỏng nội bộ',
	'health.source.nats': 'NATS JetStream',
	'health.source.none': 'không có nguồn',
	'ticker.title': 'Cảnh báo',
	'ticker.none': 'Không có cảnh báo',
	'ticker.stream_down': 'Luồng dữ liệu dừng từ {since}',
	'ticker.problem.registry_empty': 'Danh mục trường trống',
	'ticker.problem.ingest_not_reporting': 'Bộ nhập dữ liệu không báo cáo',
	'ticker.problem.no_events_10_min': 'Không có sự kiện trong 10 phút',
	'ticker.problem.ingest_lagging': 'Hàng đợi nhập dữ liệu đang dồn',
	'ticker.problem.rollups_differ': 'Số liệu tổng hợp lệch so với dữ liệu gốc (npm run reconcile)',
	'ticker.kind_silent': 'Không nhận dữ liệu {kind} từ {since}',
	'ticker.rejects': '{n} sự kiện bị từ chối trong 5 phút',
	'ticker.schools_alert': '{n} trường đang cảnh báo: {names}',
	'ticker.schools_nodata': '{n} trường không gửi số liệu',
	'ticker.embedded_feed': 'Chế độ trình diễn: dữ liệu mô phỏng trong tiến trình',
	'ticker.backfilling':
		'Đang nạp số liệu các ngày trước (lần chạy đầu): xu hướng và mức thường ngày sẽ đầy dần',
	'wall.kpis_label': 'Chỉ số chính',
	'status.open_wall': 'Mở màn hình điều hành',
	'status.open_tour': 'Màn hình tự xoay vòng các quận, huyện',
	'kind.attendance': 'chuyên cần',
	'kind.device': 'thiết bị',
	'kind.library': 'thư viện',
	'kind.completeness': 'dữ liệu ngành',
	'a11y.schools': 'Danh sách trường và trạng thái',
	'a11y.school': 'Trường',
	'a11y.district': 'Quận, huyện'
} as const;

const vi = {
	...base,
	...drillVi,
	...plan83Vi,
	...authVi,
	...alertsVi,
	...notifyVi,
	...reportsVi,
	...digestVi,
	...scopeVi
} as const;
export type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> = {
	...drillEn,
	...plan83En,
	...authEn,
	...scopeEn,
	...alertsEn,
	...notifyEn,
	...reportsEn,
	...digestEn,
	'app.title': 'Cần Thơ Smart Education Operations Centre',
	'app.subtitle':
		'Live window on Plan 83/KH-UBND: attendance, classroom devices, e-libraries, sector data',
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
	'lang.switch': 'Tiếng Việt',
	'wall.title': 'Cần Thơ Smart Education',
	'wall.subtitle': 'Operations centre · Plan 83/KH-UBND',
	'wall.day': 'Data day',
	'wall.demo_day': 'simulated school day',
	'wall.city': 'Whole city',
	'wall.phone.text':
		"The operations wall is made for the centre's big screens. On a phone, open a district's page or the alert console.",
	'wall.phone.districts': 'Districts',
	'wall.phone.alerts': 'Alert console for operators',
	'wall.live': 'Live',
	'wall.connecting': 'Connecting…',
	'wall.disconnected': 'Disconnected',
	'wall.stream_stopped': 'Stream stopped',
	'wall.banner.disconnected':
		'Lost the connection to the server at {since}. The numbers on screen are old; reconnecting by itself.',
	'wall.banner.stream_down':
		'The data stream has stopped: no event received since {since}. The numbers on screen are no longer live.',
	'wall.banner.never': 'No data received yet.',
	'wall.stale': 'STALE',
	'wall.age': 'updated {age} ago',
	'wall.age.none': 'no data yet',
	'wall.nodata': 'No data',
	'wall.vs_prev': 'vs previous day',
	'wall.vs_prev.attendance': 'vs previous school day',
	'wall.vs_prev.uptime': 'vs same time yesterday',
	'wall.vs_prev.library': 'vs same time yesterday',
	'wall.vs_prev.completeness': 'vs start of day',
	'wall.no_prev': 'nothing to compare with yet',
	'wall.target': 'Target {v}',
	'wall.baseline': 'Usual for this weekday = 100%',
	'kpi.attendance': 'Attendance today',
	'kpi.uptime': 'Classroom devices up',
	'kpi.library': 'E-library use today',
	'kpi.completeness': 'Sector data complete',
	'kpi.short.attendance': 'Attendance',
	'kpi.short.uptime': 'Devices',
	'kpi.short.library': 'Library',
	'kpi.short.completeness': 'Data',
	'kpi.detail.attendance':
		'{present} / {enrolled} pupils present · {unexcused} unexcused · {schools}/{total} schools reported',
	'kpi.detail.uptime': '{n} schools in session · last 15 minutes',
	'kpi.detail.library': '{today} loans, returns, e-book opens, visits · usual {baseline}',
	'kpi.detail.completeness':
		'{overdue} schools with sync overdue (>48 h) · oldest sync {oldest} ago',
	'kpi.def.attendance':
		'Attendance rate = pupils present ÷ pupils enrolled, summed over the classes and sessions reported today. Excused absences are still absences; unexcused absences are the chronic-absence signal. A school that has not reported is not counted as zero.',
	'kpi.def.uptime':
		'Device uptime = seconds classroom devices (projectors, smart TVs, interactive boards, PCs, library kiosks) reported "up" ÷ scheduled school-hours seconds, over the last 15 minutes. A device with no heartbeat for its interval counts as down.',
	'kpi.def.library':
		"Library use = loans + returns + e-book opens + visits since the start of the day, against the same school's mean for the same weekday over the previous 4 weeks, up to the same time of day. 100% is a usual day.",
	'kpi.def.completeness':
		"Data completeness = required fields filled ÷ required fields, over the 9 datasets (school, sites, classes, students, staff, facilities, finance, enrolment, learning results), plus freshness: the time since the school last synced to the department's and the ministry's databases.",
	'kpi.def.status':
		'A school\'s status: good, watch or alert against each KPI\'s thresholds (the worst one counts); "no data" when nothing arrived from the school — never shown as zero.',
	'kpi.thresholds': 'Thresholds: watch below {watch}, alert below {alert}.',
	'help.open': 'KPI definitions',
	'help.title': 'How the KPIs are computed',
	'help.close': 'Close',
	'status.good': 'Good',
	'status.watch': 'Watch',
	'status.alert': 'Alert',
	'status.nodata': 'No data',
	'map.legend': 'School status',
	'map.choropleth': 'Districts coloured by: {kpi}',
	'map.credits': 'Boundaries: Who’s On First (CC0) · Rivers: Natural Earth',
	'map.river': 'Hậu River',
	'map.gesture.touch': 'Use two fingers to move the map; one finger scrolls the page',
	'map.gesture.windows': 'Hold Ctrl and scroll to zoom the map',
	'map.gesture.mac': 'Hold ⌘ and scroll to zoom the map',
	'map.schools': '{n} schools',
	'rotate.on': 'Rotating: {area} ({i}/{n})',
	'rotate.paused': 'Rotation paused (someone is using the screen) — resumes in {s} s',
	'rotate.bad': 'Invalid rotate parameter: {bad}. Valid ids: city, {known}.',
	'rotate.bad_dwell': 'dwell must be seconds from 5 to 3600; using {dwell} s.',
	'theme.bad': 'Invalid theme parameter: {theme}. Valid values: {known}; using the dark theme.',
	'districts.title': 'Districts ranked · {kpi}',
	'trend.title.daily': '{kpi} · 14 days',
	'trend.title.hourly': '{kpi} · today by hour',
	'trend.city': 'Whole city',
	'plan.title': 'Plan 83 progress',
	'plan.multimedia': 'Schools with multimedia classrooms',
	'plan.smart': 'Schools with smart classrooms',
	'plan.elibrary': 'Schools with an e-library',
	'plan.installed_vs_plan': '{installed} installed / {planned} planned by {year}',
	'plan.target.multimedia_share_2025': '15% multimedia classrooms in urban districts (2025)',
	'plan.target.classroom_equipment_2030': '95% of schools with equipped classrooms (2030)',
	'plan.target.elibrary_equipment_2030': '95% of schools with an e-library (2030)',
	'plan.target.data_sync_2030': '100% of schools syncing data (2030)',
	'health.title': 'Data stream',
	'health.rate': '{n} events/s',
	'health.rejects': '{n} rejected (5 min)',
	'health.lag': 'queue {n}',
	'health.last': 'last event {t}',
	'health.source.embedded-feed': 'in-process simulated feed',
	'health.source.nats': 'NATS JetStream',
	'health.source.none': 'no source',
	'ticker.title': 'Alerts',
	'ticker.none': 'No alerts',
	'ticker.stream_down': 'Data stream stopped at {since}',
	'ticker.problem.registry_empty': 'The school registry is empty',
	'ticker.problem.ingest_not_reporting': 'Ingest is not reporting',
	'ticker.problem.no_events_10_min': 'No events for 10 minutes',
	'ticker.problem.ingest_lagging': 'Ingest queue is backing up',
	'ticker.problem.rollups_differ': 'Rollups differ from the raw data (npm run reconcile)',
	'ticker.kind_silent': 'No {kind} data since {since}',
	'ticker.rejects': '{n} events rejected in 5 minutes',
	'ticker.schools_alert': '{n} schools on alert: {names}',
	'ticker.schools_nodata': '{n} schools sending no data',
	'ticker.embedded_feed': 'Demo mode: simulated data in process',
	'ticker.backfilling':
		'Loading earlier days (first start): trends and baselines fill in as it goes',
	'wall.kpis_label': 'Key indicators',
	'status.open_wall': 'Open the wall',
	'status.open_tour': 'The wall touring the districts',
	'kind.attendance': 'attendance',
	'kind.device': 'device',
	'kind.library': 'library',
	'kind.completeness': 'sector data',
	'a11y.schools': 'Schools and their status',
	'a11y.school': 'School',
	'a11y.district': 'District'
};

export const dictionaries: Record<Locale, Record<MessageKey, string>> = { vi, en };

/** Translate a key, filling `{name}` placeholders; Vietnamese is the default. */
export function t(
	locale: Locale,
	key: MessageKey,
	params?: Record<string, string | number>
): string {
	const text = dictionaries[locale][key] ?? dictionaries.vi[key];
	return params
		? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m))
		: text;
}

/** Whether a string is a known key (ticker items arrive from the server as strings). */
export function isMessageKey(key: string): key is MessageKey {
	return key in vi;
}

export function parseLocale(v: string | null | undefined): Locale {
	return v === 'en' ? 'en' : 'vi';
}
