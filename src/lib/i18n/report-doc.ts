/**
 * The report documents' strings (report.doc.*), Vietnamese first: the server writes them into
 * DOCX and PDF files; no page bundle carries them.
 */
import type { Locale } from './dictionary';

const docVi = {
	'report.doc.parent': 'UBND THÀNH PHỐ CẦN THƠ',
	'report.doc.issuer': 'SỞ GIÁO DỤC VÀ ĐÀO TẠO',
	'report.doc.parent_district': 'UBND {district}',
	'report.doc.issuer_district': 'PHÒNG GIÁO DỤC VÀ ĐÀO TẠO',
	'report.doc.issuer_text': 'Sở Giáo dục và Đào tạo',
	'report.doc.issuer_district_text': 'Phòng Giáo dục và Đào tạo',
	'report.doc.parent_school': '{district}',
	'report.doc.number': 'Số:        /BC-{symbol}',
	'report.doc.place_date': 'Cần Thơ, ngày      tháng      năm {year}',
	'report.doc.kind': 'BÁO CÁO',
	'report.doc.plan_title_1': 'Kết quả thực hiện Kế hoạch số 83/KH-UBND năm {year}',
	'report.doc.plan_title_2': 'về lĩnh vực giáo dục thông minh{area}',
	'report.doc.plan_title_area': ' trên địa bàn {district}',
	'report.doc.area_title_1': 'Tình hình vận hành chuyển đổi số giáo dục',
	'report.doc.area_title_2': 'của {area}, từ ngày {from} đến ngày {to}',
	'report.doc.addressee_city': 'Kính gửi: Ủy ban nhân dân thành phố Cần Thơ.',
	'report.doc.addressee_department': 'Kính gửi: Sở Giáo dục và Đào tạo thành phố Cần Thơ.',
	'report.doc.addressee_district': 'Kính gửi: Phòng Giáo dục và Đào tạo {district}.',
	'report.doc.plan_intro':
		'Thực hiện Kế hoạch số 83/KH-UBND ngày 20 tháng 4 năm 2023 của Ủy ban nhân dân thành phố Cần Thơ triển khai thực hiện Đề án Xây dựng thành phố Cần Thơ phát triển thành đô thị thông minh giai đoạn 2021 - 2025, tầm nhìn đến năm 2030 đối với lĩnh vực giáo dục thông minh (mục VI.1.g), {issuer} báo cáo kết quả thực hiện năm {year} của {area} (số liệu từ ngày {from} đến ngày {to}) như sau:',
	'report.doc.area_intro':
		'{issuer} báo cáo tình hình vận hành của {area} từ ngày {from} đến ngày {to} ({days} ngày), so với {prev}, như sau:',
	'report.doc.prev_period': 'kỳ trước cùng độ dài (từ {from} đến {to})',
	'report.doc.no_prev': 'không có kỳ trước để so sánh (ngoài thời hạn lưu số liệu)',
	'report.doc.city': 'toàn thành phố',
	'report.doc.part1': 'I. KẾT QUẢ THỰC HIỆN',
	'report.doc.part2': 'II. ĐÁNH GIÁ CHUNG',
	'report.doc.part3': 'III. PHƯƠNG HƯỚNG, KIẾN NGHỊ',
	'report.doc.s1':
		'1. Xây dựng Trung tâm Điều hành giáo dục thông minh gắn với việc xây dựng hệ thống cơ sở dữ liệu ngành Giáo dục và Đào tạo',
	'report.doc.s2': '2. Xây dựng phòng học tương tác thông minh và phòng học đa phương tiện',
	'report.doc.s3': '3. Xây dựng hệ thống thư viện điện tử cho các trường phổ thông',
	'report.doc.s4': '4. Các chỉ số vận hành trong năm',
	'report.doc.s1_text':
		'Trong kỳ, {reporting}/{schools} trường ({reporting_pct}) có dữ liệu gửi về Trung tâm; {recent}/{schools} trường có dữ liệu trong 7 ngày cuối kỳ. Mục tiêu đến năm 2030: 100% trường kết nối, chia sẻ dữ liệu; hiện đạt {reporting_pct}. Mức đầy đủ dữ liệu cuối kỳ đạt {completeness}; {dep}/{schools} trường đồng bộ lên cơ sở dữ liệu của Sở và {min}/{schools} trường đồng bộ lên cơ sở dữ liệu của Bộ trong 48 giờ cuối kỳ.',
	'report.doc.s2_text':
		'Lũy kế đến năm {year}, {mm_schools} trường có {mm_rooms} phòng học đa phương tiện và {sm_schools} trường có {sm_rooms} phòng học tương tác thông minh. Tỷ lệ phòng học đa phương tiện trên tổng số phòng học ở các quận đô thị đạt {urban_share} (mục tiêu 15% đến hết năm 2025); {equipped} trường có phòng học được trang bị thiết bị (mục tiêu trên 95% đến năm 2030).',
	'report.doc.s2_plan_note':
		'Bảng {n} chép nguyên Phụ lục lộ trình thực hiện của Kế hoạch: số trường và số phòng mỗi trường theo năm, cấp học và nhóm quận, huyện.',
	'report.doc.s3_text':
		'Theo Phụ lục, {planned} trường được trang bị thư viện điện tử đến năm {year}; {installed} trường đã có ({installed_pct}), {missing} trường chưa có. Toàn khu vực có {all} trường có thư viện điện tử.',
	'report.doc.s4_text':
		'Bình quân cả kỳ: chuyên cần {attendance}, thiết bị phòng học hoạt động {uptime}, sử dụng thư viện điện tử so với mức thường lệ {library}, đầy đủ dữ liệu cuối kỳ {completeness}.',
	'report.doc.alerts_text':
		'Trong kỳ có {fired} cảnh báo; {acked} cảnh báo được xác nhận, trong đó {within}/{with_target} cảnh báo có thời hạn được xác nhận đúng hạn ({within_pct}); {escalated} cảnh báo phải chuyển cấp; {open} cảnh báo còn mở cuối kỳ.',
	'report.doc.behind_text':
		'Các trường cần quan tâm: nhiều chỉ số dưới ngưỡng cảnh báo nhất, rồi dưới ngưỡng theo dõi (ngưỡng: chuyên cần {att}, thiết bị {up}, thư viện {lib}, dữ liệu {comp}).',
	'report.doc.behind_none': 'Không có trường nào có chỉ số dưới ngưỡng theo dõi trong kỳ.',
	'report.doc.t_reporting': 'Bảng {n}. Kết nối, báo cáo và đồng bộ dữ liệu theo quận, huyện',
	'report.doc.rollout_note':
		'ĐPT: phòng học đa phương tiện; TTTM: phòng học tương tác thông minh. Nguồn: Kế hoạch số 83/KH-UBND ngày 20/4/2023, Phụ lục lộ trình thực hiện.',
	'report.doc.a1': '1. Các chỉ số vận hành trong kỳ',
	'report.doc.reporting_note':
		'Tỷ lệ trên số trường của quận, huyện; dữ liệu: mức đầy đủ cuối kỳ; đồng bộ: lần đồng bộ gần nhất trong 48 giờ trước cuối kỳ.',
	'report.doc.a2': '2. Cơ sở dữ liệu ngành: mức đầy đủ và đồng bộ',
	'report.doc.a3': '3. Cảnh báo',
	'report.doc.t_compare': 'Bảng {n}. Chỉ số vận hành so với kỳ trước',
	'report.doc.t_datasets': 'Bảng {n}. Mức đầy đủ dữ liệu theo bộ dữ liệu (cuối kỳ)',
	'report.doc.t_rollout_plan': 'Bảng {n}. Lộ trình phòng học theo Phụ lục Kế hoạch 83/KH-UBND',
	'report.doc.t_rollout_done': 'Bảng {n}. Kế hoạch và kết quả lắp đặt phòng học (lũy kế)',
	'report.doc.t_rollout_district':
		'Bảng {n}. Phòng học đa phương tiện và tương tác thông minh theo quận, huyện',
	'report.doc.t_elibrary': 'Bảng {n}. Trường trang bị thư viện điện tử theo Phụ lục',
	'report.doc.t_kpis': 'Bảng {n}. Chỉ số vận hành theo quận, huyện',
	'report.doc.t_kpis_school': 'Bảng {n}. Chỉ số vận hành theo trường',
	'report.doc.t_months': 'Bảng {n}. Chỉ số vận hành theo tháng',
	'report.doc.t_behind': 'Bảng {n}. Trường cần quan tâm',
	'report.doc.t_alerts': 'Bảng {n}. Cảnh báo theo quy tắc',
	'report.doc.c_rollout':
		'Biểu đồ {n}. Số trường có phòng học đa phương tiện (ĐPT) và tương tác thông minh (TTTM), theo kế hoạch và đã lắp đặt (lũy kế)',
	'report.doc.c_months': 'Biểu đồ {n}. Chỉ số vận hành theo tháng',
	'report.doc.c_districts': 'Biểu đồ {n}. Chuyên cần và thiết bị hoạt động theo quận, huyện',
	'report.doc.col.district': 'Quận, huyện',
	'report.doc.col.school': 'Trường',
	'report.doc.col.schools': 'Số trường',
	'report.doc.col.reporting': 'Gửi dữ liệu trong kỳ',
	'report.doc.col.recent': 'Gửi dữ liệu 7 ngày cuối',
	'report.doc.col.sync_dep': 'Đồng bộ Sở ≤ 48 giờ',
	'report.doc.col.sync_min': 'Đồng bộ Bộ ≤ 48 giờ',
	'report.doc.col.dataset': 'Bộ dữ liệu',
	'report.doc.col.fields': 'Trường thông tin bắt buộc',
	'report.doc.col.filled': 'Đã nhập',
	'report.doc.col.ratio': 'Tỷ lệ',
	'report.doc.col.year': 'Năm',
	'report.doc.col.districts': 'Quận, huyện',
	'report.doc.col.level': 'Cấp học',
	'report.doc.col.mm_schools': 'ĐPT: số trường',
	'report.doc.col.mm_per': 'ĐPT: phòng mỗi trường',
	'report.doc.col.sm_schools': 'TTTM: số trường',
	'report.doc.col.sm_per': 'TTTM: phòng mỗi trường',
	'report.doc.col.item': 'Hạng mục',
	'report.doc.col.planned_schools': 'Kế hoạch (trường)',
	'report.doc.col.installed_schools': 'Đã lắp (trường)',
	'report.doc.col.planned_rooms': 'Kế hoạch (phòng)',
	'report.doc.col.installed_rooms': 'Đã lắp (phòng)',
	'report.doc.col.eligible': 'Trường thuộc diện',
	'report.doc.col.mm': 'Đa phương tiện (trường/phòng)',
	'report.doc.col.sm': 'Tương tác thông minh (trường/phòng)',
	'report.doc.col.share': 'Tỷ lệ phòng đa phương tiện',
	'report.doc.col.seq': 'STT',
	'report.doc.col.due': 'Năm theo kế hoạch',
	'report.doc.col.state': 'Tình trạng',
	'report.doc.col.month': 'Tháng',
	'report.doc.col.rule': 'Quy tắc',
	'report.doc.col.fired': 'Phát sinh',
	'report.doc.col.within': 'Xác nhận đúng hạn',
	'report.doc.col.escalated': 'Chuyển cấp',
	'report.doc.col.below': 'Dưới ngưỡng (cảnh báo/theo dõi)',
	'report.doc.col.change': 'Thay đổi',
	'report.doc.total': 'Tổng cộng',
	'report.doc.multimedia': 'Phòng học đa phương tiện',
	'report.doc.smart': 'Phòng học tương tác thông minh',
	'report.doc.planned': 'kế hoạch',
	'report.doc.abbr_mm': 'ĐPT',
	'report.doc.abbr_sm': 'TTTM',
	'report.doc.installed': 'đã lắp đặt',
	'report.doc.elib_has': 'Đã có (năm {year})',
	'report.doc.elib_later': 'Có từ năm {year}',
	'report.doc.elib_missing': 'Chưa có',
	'report.doc.elib_unknown': 'Chưa có trong danh mục trường',
	'report.doc.no_target': 'không đặt thời hạn',
	'report.doc.none': 'Không có.',
	'report.doc.gap_reporting':
		'{n} trường chưa gửi dữ liệu trong 7 ngày cuối kỳ; cần kiểm tra kết nối của các trường này.',
	'report.doc.gap_completeness':
		'Mức đầy đủ dữ liệu {value} còn dưới ngưỡng theo dõi {watch}; bộ dữ liệu thấp nhất: {dataset} ({ratio}).',
	'report.doc.gap_rooms':
		'{mm} trường đến hạn theo lộ trình chưa có phòng học đa phương tiện và {sm} trường chưa có phòng học tương tác thông minh.',
	'report.doc.gap_elib': '{n} trường trong danh sách thư viện điện tử đến hạn chưa có thư viện.',
	'report.doc.gap_kpi': '{kpi} bình quân {value} dưới ngưỡng theo dõi {watch} ở: {districts}.',
	'report.doc.gap_alerts':
		'{n} cảnh báo phải chuyển cấp do chưa được xác nhận đúng hạn; tỷ lệ xác nhận đúng hạn {pct}.',
	'report.doc.good': 'Các chỉ số chính đạt ngưỡng theo dõi trở lên.',
	'report.doc.todo_rooms':
		'Hoàn thành lắp đặt phòng học cho các trường còn thiếu theo lộ trình (danh sách tại trang Kế hoạch 83 của Trung tâm).',
	'report.doc.todo_elib':
		'Trang bị thư viện điện tử cho các trường còn thiếu trong danh sách Phụ lục.',
	'report.doc.todo_reporting':
		'Các trường chưa gửi dữ liệu khắc phục kết nối; Phòng Giáo dục và Đào tạo theo dõi hằng tuần.',
	'report.doc.todo_completeness':
		'Các trường cập nhật đầy đủ các trường thông tin bắt buộc và đồng bộ dữ liệu lên cơ sở dữ liệu của Sở, của Bộ trong vòng 48 giờ.',
	'report.doc.todo_alerts':
		'Bố trí trực xác nhận cảnh báo trong giờ học để giảm số cảnh báo phải chuyển cấp.',
	'report.doc.todo_keep':
		'Duy trì vận hành, tiếp tục theo dõi các chỉ số trên Trung tâm điều hành.',
	'report.doc.closing':
		'Trên đây là báo cáo {what} của {issuer}. Số liệu chi tiết theo trường được cập nhật liên tục trên Trung tâm điều hành giáo dục thông minh./.',
	'report.doc.closing_plan': 'kết quả thực hiện Kế hoạch số 83/KH-UBND năm {year}',
	'report.doc.closing_area': 'tình hình vận hành từ ngày {from} đến ngày {to}',
	'report.doc.recipients': 'Nơi nhận:',
	'report.doc.rcpt_above': '- Như trên;',
	'report.doc.rcpt_ict': '- Sở Thông tin và Truyền thông;',
	'report.doc.rcpt_districts': '- UBND quận, huyện;',
	'report.doc.rcpt_department': '- Sở Giáo dục và Đào tạo (để b/c);',
	'report.doc.rcpt_school': '- Ban Giám hiệu;',
	'report.doc.rcpt_archive': '- Lưu: VT.',
	'report.doc.sign_director': 'GIÁM ĐỐC',
	'report.doc.sign_head': 'TRƯỞNG PHÒNG',
	'report.doc.sign_principal': 'HIỆU TRƯỞNG',
	'report.doc.footer':
		'Lập tự động bởi Trung tâm điều hành giáo dục thông minh Cần Thơ lúc {at}; số liệu từ {from} đến {to}.',
	'report.doc.source_note':
		'Nguồn: Trung tâm điều hành giáo dục thông minh (ClickHouse và danh mục trường), tính đến {at}.',
	'report.doc.kpi_note':
		'Chuyên cần: có mặt ÷ sĩ số các buổi đã báo cáo; thiết bị: phút hoạt động ÷ phút theo lịch; thư viện: lượt sử dụng ÷ mức thường lệ; dữ liệu: trường thông tin đã nhập ÷ bắt buộc, cuối kỳ.'
} as const;

export type DocKey = keyof typeof docVi;

const docEn: Record<DocKey, string> = {
	'report.doc.parent': "CAN THO CITY PEOPLE'S COMMITTEE",
	'report.doc.issuer': 'DEPARTMENT OF EDUCATION AND TRAINING',
	'report.doc.parent_district': "{district} PEOPLE'S COMMITTEE",
	'report.doc.issuer_district': 'DIVISION OF EDUCATION AND TRAINING',
	'report.doc.issuer_text': 'the Department of Education and Training',
	'report.doc.issuer_district_text': 'the Division of Education and Training',
	'report.doc.parent_school': '{district}',
	'report.doc.number': 'No.:        /BC-{symbol}',
	'report.doc.place_date': 'Can Tho, ……/……/{year}',
	'report.doc.kind': 'REPORT',
	'report.doc.plan_title_1': 'Implementation of Plan 83/KH-UBND in {year}',
	'report.doc.plan_title_2': 'on smart education{area}',
	'report.doc.plan_title_area': ' in {district}',
	'report.doc.area_title_1': 'Digital education operations',
	'report.doc.area_title_2': 'of {area}, from {from} to {to}',
	'report.doc.addressee_city': "To: the People's Committee of Can Tho City.",
	'report.doc.addressee_department':
		'To: the Department of Education and Training of Can Tho City.',
	'report.doc.addressee_district': 'To: the Division of Education and Training of {district}.',
	'report.doc.plan_intro':
		"Under Plan 83/KH-UBND of 20 April 2023 of the People's Committee of Can Tho City on smart education (section VI.1.g), {issuer} reports the {year} results for {area} (figures from {from} to {to}) as follows:",
	'report.doc.area_intro':
		'{issuer} reports the operations of {area} from {from} to {to} ({days} days), compared with {prev}, as follows:',
	'report.doc.prev_period': 'the period of the same length before (from {from} to {to})',
	'report.doc.no_prev': 'no earlier period (outside the retention)',
	'report.doc.city': 'the whole city',
	'report.doc.part1': 'I. RESULTS',
	'report.doc.part2': 'II. ASSESSMENT',
	'report.doc.part3': 'III. NEXT STEPS AND RECOMMENDATIONS',
	'report.doc.s1': '1. The smart education operations centre and the sector database',
	'report.doc.s2': '2. Smart interactive and multimedia classrooms',
	'report.doc.s3': '3. E-libraries in schools',
	'report.doc.s4': "4. The year's operating figures",
	'report.doc.s1_text':
		'In the period, {reporting} of {schools} schools ({reporting_pct}) sent data to the centre; {recent} of {schools} sent data in its last 7 days. Target for 2030: 100% of schools connected and sharing data; now {reporting_pct}. Data completeness at the end of the period: {completeness}; {dep} of {schools} schools synced to the department database and {min} of {schools} to the ministry database within the last 48 hours.',
	'report.doc.s2_text':
		'Up to {year}, {mm_schools} schools have {mm_rooms} multimedia classrooms and {sm_schools} schools have {sm_rooms} smart interactive classrooms. Multimedia rooms make up {urban_share} of classrooms in urban districts (target 15% by the end of 2025); {equipped} schools have equipped classrooms (target over 95% by 2030).',
	'report.doc.s2_plan_note':
		"Table {n} copies the plan's roll-out appendix: schools and rooms per school by year, level and group of districts.",
	'report.doc.s3_text':
		'By the appendix, {planned} schools are to have an e-library by {year}; {installed} have one ({installed_pct}), {missing} do not yet. {all} schools in the area have an e-library.',
	'report.doc.s4_text':
		'Over the period: attendance {attendance}, classroom devices up {uptime}, e-library use against its usual level {library}, data completeness at the end {completeness}.',
	'report.doc.alerts_text':
		'{fired} alerts fired in the period; {acked} were acknowledged, {within} of the {with_target} with a target within it ({within_pct}); {escalated} were escalated; {open} were still open at its end.',
	'report.doc.behind_text':
		'Schools behind: most KPIs under the alert threshold, then under watch (thresholds: attendance {att}, devices {up}, library {lib}, data {comp}).',
	'report.doc.behind_none': 'No school had a KPI under its watch threshold in the period.',
	'report.doc.t_reporting': 'Table {n}. Connection, reporting and sync by district',
	'report.doc.rollout_note':
		'MM: multimedia classrooms; SI: smart interactive classrooms. Source: Plan 83/KH-UBND of 20 April 2023, roll-out appendix.',
	'report.doc.a1': '1. Operating figures in the period',
	'report.doc.reporting_note':
		"Shares of the district's schools; data: completeness at the end of the period; syncs: the latest within 48 hours of its end.",
	'report.doc.a2': '2. The sector database: completeness and syncs',
	'report.doc.a3': '3. Alerts',
	'report.doc.t_compare': 'Table {n}. Operating figures against the period before',
	'report.doc.t_datasets': 'Table {n}. Data completeness by dataset (end of period)',
	'report.doc.t_rollout_plan': 'Table {n}. Classroom roll-out in the appendix of Plan 83/KH-UBND',
	'report.doc.t_rollout_done': 'Table {n}. Classrooms planned and installed (cumulative)',
	'report.doc.t_rollout_district':
		'Table {n}. Multimedia and smart interactive classrooms by district',
	'report.doc.t_elibrary': 'Table {n}. Schools in the e-library appendix',
	'report.doc.t_kpis': 'Table {n}. Operating figures by district',
	'report.doc.t_kpis_school': 'Table {n}. Operating figures by school',
	'report.doc.t_months': 'Table {n}. Operating figures by month',
	'report.doc.t_behind': 'Table {n}. Schools behind',
	'report.doc.t_alerts': 'Table {n}. Alerts by rule',
	'report.doc.c_rollout':
		'Chart {n}. Schools with multimedia (MM) and smart interactive (SI) classrooms, planned and installed (cumulative)',
	'report.doc.c_months': 'Chart {n}. Operating figures by month',
	'report.doc.c_districts': 'Chart {n}. Attendance and device uptime by district',
	'report.doc.col.district': 'District',
	'report.doc.col.school': 'School',
	'report.doc.col.schools': 'Schools',
	'report.doc.col.reporting': 'Sent data in the period',
	'report.doc.col.recent': 'Sent data in the last 7 days',
	'report.doc.col.sync_dep': 'Synced to department ≤ 48 h',
	'report.doc.col.sync_min': 'Synced to ministry ≤ 48 h',
	'report.doc.col.dataset': 'Dataset',
	'report.doc.col.fields': 'Required fields',
	'report.doc.col.filled': 'Filled',
	'report.doc.col.ratio': 'Ratio',
	'report.doc.col.year': 'Year',
	'report.doc.col.districts': 'Districts',
	'report.doc.col.level': 'Level',
	'report.doc.col.mm_schools': 'MM: schools',
	'report.doc.col.mm_per': 'MM: rooms per school',
	'report.doc.col.sm_schools': 'SI: schools',
	'report.doc.col.sm_per': 'SI: rooms per school',
	'report.doc.col.item': 'Item',
	'report.doc.col.planned_schools': 'Planned (schools)',
	'report.doc.col.installed_schools': 'Installed (schools)',
	'report.doc.col.planned_rooms': 'Planned (rooms)',
	'report.doc.col.installed_rooms': 'Installed (rooms)',
	'report.doc.col.eligible': 'Eligible schools',
	'report.doc.col.mm': 'Multimedia (schools/rooms)',
	'report.doc.col.sm': 'Smart interactive (schools/rooms)',
	'report.doc.col.share': 'Multimedia share of rooms',
	'report.doc.col.seq': 'No.',
	'report.doc.col.due': 'Planned year',
	'report.doc.col.state': 'State',
	'report.doc.col.month': 'Month',
	'report.doc.col.rule': 'Rule',
	'report.doc.col.fired': 'Fired',
	'report.doc.col.within': 'Acknowledged in time',
	'report.doc.col.escalated': 'Escalated',
	'report.doc.col.below': 'Under threshold (alert/watch)',
	'report.doc.col.change': 'Change',
	'report.doc.total': 'Total',
	'report.doc.multimedia': 'Multimedia classrooms',
	'report.doc.smart': 'Smart interactive classrooms',
	'report.doc.planned': 'planned',
	'report.doc.abbr_mm': 'MM',
	'report.doc.abbr_sm': 'SI',
	'report.doc.installed': 'installed',
	'report.doc.elib_has': 'Installed ({year})',
	'report.doc.elib_later': 'Installed in {year}',
	'report.doc.elib_missing': 'Not yet',
	'report.doc.elib_unknown': 'Not in the school registry',
	'report.doc.no_target': 'no target',
	'report.doc.none': 'None.',
	'report.doc.gap_reporting':
		'{n} schools sent no data in the last 7 days of the period; their connections need checking.',
	'report.doc.gap_completeness':
		'Data completeness {value} is under the watch threshold {watch}; the lowest dataset: {dataset} ({ratio}).',
	'report.doc.gap_rooms':
		'{mm} schools due on the roll-out have no multimedia classroom and {sm} no smart interactive classroom.',
	'report.doc.gap_elib': '{n} schools due on the e-library list have no e-library yet.',
	'report.doc.gap_kpi':
		'{kpi} averaged {value}, under the watch threshold {watch}, in: {districts}.',
	'report.doc.gap_alerts':
		'{n} alerts were escalated for want of a timely acknowledgement; {pct} were acknowledged in time.',
	'report.doc.good': 'The main figures are at or above their watch thresholds.',
	'report.doc.todo_rooms':
		"Finish the classrooms of the schools still missing them on the roll-out (listed on the centre's Plan 83 page).",
	'report.doc.todo_elib': 'Equip the schools still missing an e-library on the appendix list.',
	'report.doc.todo_reporting':
		'Schools that sent no data repair their connections; district offices follow up weekly.',
	'report.doc.todo_completeness':
		'Schools fill every required field and sync to the department and ministry databases within 48 hours.',
	'report.doc.todo_alerts': 'Staff alert acknowledgement during school hours to cut escalations.',
	'report.doc.todo_keep': 'Keep operations going and follow the figures on the operations centre.',
	'report.doc.closing':
		"This is {issuer}'s report on {what}. School-level figures are kept up to date on the smart education operations centre./.",
	'report.doc.closing_plan': 'the implementation of Plan 83/KH-UBND in {year}',
	'report.doc.closing_area': 'operations from {from} to {to}',
	'report.doc.recipients': 'Recipients:',
	'report.doc.rcpt_above': '- As above;',
	'report.doc.rcpt_ict': '- Department of Information and Communications;',
	'report.doc.rcpt_districts': "- District People's Committees;",
	'report.doc.rcpt_department': '- Department of Education and Training (to report);',
	'report.doc.rcpt_school': "- School's board;",
	'report.doc.rcpt_archive': '- Archive.',
	'report.doc.sign_director': 'DIRECTOR',
	'report.doc.sign_head': 'HEAD OF DIVISION',
	'report.doc.sign_principal': 'PRINCIPAL',
	'report.doc.footer':
		'Made by the Can Tho smart education operations centre at {at}; figures from {from} to {to}.',
	'report.doc.source_note':
		'Source: the smart education operations centre (ClickHouse and the school registry), as of {at}.',
	'report.doc.kpi_note':
		'Attendance: present ÷ enrolled over reported sessions; devices: minutes up ÷ scheduled minutes; library: uses ÷ usual level; data: filled ÷ required fields, at the end of the period.'
};

/** A document string in the report's language, `{name}` placeholders filled. */
export function docText(
	locale: Locale,
	key: DocKey,
	params?: Record<string, string | number>
): string {
	const text = (locale === 'en' ? docEn : docVi)[key];
	return params
		? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m))
		: text;
}
