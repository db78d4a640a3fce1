/**
 * Strings of the /reports page and of report requests' errors, Vietnamese first. The documents'
 * own strings are in report-doc.ts, read on the server only.
 */
export const reportsVi = {
	'report.error.kind': 'Loại báo cáo "{value}" không có. Chọn một trong: {allowed}.',
	'report.error.district': 'Không có quận, huyện "{id}".',
	'report.error.school': 'Không có trường "{id}".',
	'report.error.needs_school': 'Báo cáo trường cần chọn một trường (school=…).',
	'report.error.needs_district': 'Báo cáo quận, huyện cần chọn một quận, huyện (district=…).',
	'report.error.needs_range':
		'Hãy chọn khoảng thời gian của báo cáo: from=YYYY-MM-DD và to=YYYY-MM-DD, hoặc range=7d|30d|year.',
	'report.error.scope_city':
		'Tài khoản của bạn chỉ xem được {area}: hãy chọn báo cáo của khu vực đó, không phải toàn thành phố.',
	'report.error.year': 'Năm "{value}" không có báo cáo: chọn một năm từ {first} đến {last}.',
	'report.error.year_retention':
		'Không lập được báo cáo năm {year}: số liệu chi tiết chỉ được lưu {days} ngày (từ {first}).',
	'report.error.format': 'Định dạng "{value}" không có: chọn pdf hoặc docx.',
	'report.error.job': 'Không có báo cáo "{id}" (báo cáo đã lập được giữ 24 giờ).',
	'report.error.busy':
		'Đang lập {n} báo cáo, hãy chờ một báo cáo xong rồi yêu cầu thêm (tối đa {max} báo cáo chờ).',

	'report.page.title': 'Báo cáo',
	'report.page.intro':
		'Lập báo cáo để nộp: báo cáo năm kết quả thực hiện Kế hoạch 83/KH-UBND (báo cáo UBND thành phố giữa tháng 11 hằng năm), báo cáo quận, huyện và báo cáo trường theo khoảng thời gian. Mỗi báo cáo có bản DOCX để chỉnh sửa và bản PDF cùng nội dung; mọi số liệu được tính từ cơ sở dữ liệu.',
	'report.page.kind': 'Loại báo cáo',
	'report.kind.plan83': 'Báo cáo năm thực hiện Kế hoạch 83',
	'report.kind.district': 'Báo cáo quận, huyện',
	'report.kind.school': 'Báo cáo trường',
	'report.page.year': 'Năm',
	'report.page.district': 'Quận, huyện',
	'report.page.city': 'Toàn thành phố',
	'report.page.school': 'Trường',
	'report.page.from': 'Từ ngày',
	'report.page.to': 'Đến ngày',
	'report.page.lang': 'Ngôn ngữ của báo cáo',
	'report.page.make': 'Lập báo cáo',
	'report.page.jobs': 'Báo cáo đã yêu cầu',
	'report.page.none': 'Chưa có báo cáo nào.',
	'report.page.state.queued': 'Đang chờ',
	'report.page.state.running': 'Đang lập: {step}',
	'report.page.state.done': 'Xong ({pages} trang, {seconds} giây)',
	'report.page.state.failed': 'Lỗi: {error}',
	'report.page.download_pdf': 'Tải PDF',
	'report.page.download_docx': 'Tải DOCX',
	'report.page.requested': 'Yêu cầu lúc',
	'report.step.queued': 'đang chờ',
	'report.step.measure': 'đọc số liệu',
	'report.step.schools': 'tính theo trường',
	'report.step.months': 'tính theo tháng',
	'report.step.behind': 'tìm trường cần quan tâm',
	'report.step.datasets': 'mức đầy đủ dữ liệu',
	'report.step.alerts': 'cảnh báo',
	'report.step.document': 'soạn văn bản',
	'report.step.charts': 'vẽ biểu đồ',
	'report.step.docx': 'xuất DOCX',
	'report.step.pdf': 'xuất PDF'

	// the document
} as const;

export const reportsEn: Record<keyof typeof reportsVi, string> = {
	'report.error.kind': 'There is no report kind "{value}". Choose one of: {allowed}.',
	'report.error.district': 'There is no district "{id}".',
	'report.error.school': 'There is no school "{id}".',
	'report.error.needs_school': 'A school report needs a school (school=…).',
	'report.error.needs_district': 'A district report needs a district (district=…).',
	'report.error.needs_range':
		"Choose the report's period: from=YYYY-MM-DD and to=YYYY-MM-DD, or range=7d|30d|year.",
	'report.error.scope_city':
		"Your account covers {area} only: ask for that area's report, not the whole city's.",
	'report.error.year':
		'There is no report for the year "{value}": choose a year from {first} to {last}.',
	'report.error.year_retention':
		'The {year} report cannot be made: detailed figures are kept for {days} days (since {first}).',
	'report.error.format': 'There is no format "{value}": choose pdf or docx.',
	'report.error.job': 'There is no report "{id}" (finished reports are kept for 24 hours).',
	'report.error.busy':
		'{n} reports are being made: wait for one to finish before asking for more (at most {max} waiting).',

	'report.page.title': 'Reports',
	'report.page.intro':
		"Reports to file: the yearly Plan 83/KH-UBND implementation report (due to the City People's Committee by mid-November), district and school reports for any period. Each comes as a DOCX to edit and a PDF with the same content; every figure is computed from the database.",
	'report.page.kind': 'Report',
	'report.kind.plan83': 'Plan 83 yearly report',
	'report.kind.district': 'District report',
	'report.kind.school': 'School report',
	'report.page.year': 'Year',
	'report.page.district': 'District',
	'report.page.city': 'Whole city',
	'report.page.school': 'School',
	'report.page.from': 'From',
	'report.page.to': 'To',
	'report.page.lang': "Report's language",
	'report.page.make': 'Make the report',
	'report.page.jobs': 'Requested reports',
	'report.page.none': 'No reports yet.',
	'report.page.state.queued': 'Waiting',
	'report.page.state.running': 'Making: {step}',
	'report.page.state.done': 'Ready ({pages} pages, {seconds} s)',
	'report.page.state.failed': 'Failed: {error}',
	'report.page.download_pdf': 'Download PDF',
	'report.page.download_docx': 'Download DOCX',
	'report.page.requested': 'Requested at',
	'report.step.queued': 'waiting',
	'report.step.measure': 'reading the figures',
	'report.step.schools': 'per school',
	'report.step.months': 'per month',
	'report.step.behind': 'schools behind',
	'report.step.datasets': 'data completeness',
	'report.step.alerts': 'alerts',
	'report.step.document': 'writing the document',
	'report.step.charts': 'drawing the charts',
	'report.step.docx': 'DOCX',
	'report.step.pdf': 'PDF'
};
