/**
 * A sample report for the renderers' tests, the timing and scripts/report-sample.ts: every kind of
 * block, Vietnamese diacritics in every place, and a table long enough to break across pages.
 * Made-up figures; the real content comes from the content modules (plan83.ts, area.ts).
 */
import type { Block, ReportDoc } from '../doc';

export const SAMPLE_DISTRICTS = [
	'Ninh Kiều',
	'Cờ Đỏ',
	'Phong Điền',
	'Thới Lai',
	'Vĩnh Thạnh',
	'Thốt Nốt',
	'Ô Môn',
	'Cái Răng',
	'Bình Thủy'
];

const LEVELS = ['Mầm non', 'Tiểu học', 'THCS', 'THPT'];

/** a deterministic 0..1 from a number (no Math.random: the sample is the same every run) */
const noise = (i: number) => {
	const x = Math.sin(i * 12.9898) * 43758.5453;
	return x - Math.floor(x);
};
const vi = (v: number, digits = 1) =>
	new Intl.NumberFormat('vi-VN', {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits
	}).format(v);

/** One "part": a heading, prose, a list, a table of `rows` schools and a chart. */
function part(n: number, rows: number): Block[] {
	const schools: string[][] = [];
	for (let i = 0; i < rows; i++) {
		const d = SAMPLE_DISTRICTS[i % SAMPLE_DISTRICTS.length];
		const level = LEVELS[i % LEVELS.length];
		const installed = 8 + Math.round(noise(n * 1000 + i) * 30);
		const planned = installed + Math.round(noise(n * 2000 + i) * 6);
		schools.push([
			`Trường ${level} ${d} ${i + 1}`,
			d,
			String(installed),
			String(planned),
			`${vi((installed / planned) * 100)} %`
		]);
	}
	return [
		{ kind: 'heading', level: 1, text: `KẾT QUẢ TRIỂN KHAI GIAI ĐOẠN ${n}` },
		{ kind: 'heading', level: 2, text: 'Tình hình chung' },
		{
			kind: 'paragraph',
			runs: [
				'Thực hiện Kế hoạch số 83/KH-UBND của Ủy ban nhân dân thành phố Cần Thơ về chuyển đổi số ngành giáo dục, Sở Giáo dục và Đào tạo đã phối hợp với Ủy ban nhân dân các quận, huyện ',
				{ text: 'triển khai đồng bộ', bold: true },
				' hệ thống điểm danh, thiết bị phòng học thông minh và thư viện số tại các trường học trên địa bàn. Số liệu được tổng hợp tự động từ Trung tâm điều hành giáo dục thông minh, ',
				{ text: 'không qua nhập liệu thủ công', italic: true },
				'.'
			]
		},
		{ kind: 'heading', level: 3, text: 'Những việc đã làm' },
		{
			kind: 'list',
			items: [
				['Hoàn thành lắp đặt thiết bị tại các trường thuộc quận Ninh Kiều, Cái Răng và Bình Thủy;'],
				[
					'Tập huấn sử dụng hệ thống cho giáo viên các huyện Cờ Đỏ, Phong Điền, Thới Lai và Vĩnh Thạnh;'
				],
				[{ text: 'Thốt Nốt và Ô Môn', bold: true }, ' đang hoàn thiện hạ tầng mạng.']
			]
		},
		{
			kind: 'table',
			caption: `Bảng ${n}. Thiết bị đã lắp đặt so với kế hoạch, theo trường`,
			columns: [
				{ label: 'Trường', width: 3.2 },
				{ label: 'Quận, huyện', width: 1.6, align: 'left' },
				{ label: 'Đã lắp đặt', width: 1.2 },
				{ label: 'Kế hoạch', width: 1.2 },
				{ label: 'Tỷ lệ', width: 1.2 }
			],
			rows: schools,
			total: ['Tổng cộng', '', String(rows * 20), String(rows * 23), '87,0 %'],
			note: 'Nguồn: sổ đăng ký thiết bị của Trung tâm điều hành; tỷ lệ = đã lắp đặt / kế hoạch.'
		},
		{
			kind: 'chart',
			caption: `Biểu đồ ${2 * n - 1}. Tỷ lệ chuyên cần 7 ngày gần nhất`,
			width: 440,
			height: 210,
			spec: {
				kind: 'trend',
				labels: ['28/11', '29/11', '30/11', '01/12', '02/12', '03/12', '04/12'],
				unit: 'percent',
				target: { value: 0.95, label: 'Mục tiêu 95 %' },
				series: [
					{
						name: 'Cờ Đỏ',
						values: [0.93, 0.94, 0.96, null, 0.95, 0.97, 0.96],
						color: '#1f5fa8',
						width: 3
					},
					{
						name: 'Toàn thành phố',
						values: [0.94, 0.945, 0.95, 0.95, 0.952, 0.958, 0.955],
						color: '#6b6b6b',
						dashed: true
					}
				]
			}
		},
		{
			kind: 'chart',
			caption: `Biểu đồ ${2 * n}. Thiết bị đã lắp đặt và kế hoạch theo quận, huyện`,
			width: 440,
			height: 260,
			spec: {
				kind: 'bars',
				horizontal: true,
				labels: SAMPLE_DISTRICTS,
				unit: 'count',
				target: null,
				series: [
					{
						name: 'Đã lắp đặt',
						values: SAMPLE_DISTRICTS.map((_, i) => 40 + Math.round(noise(i + n) * 80)),
						color: '#1f5fa8'
					},
					{
						name: 'Kế hoạch',
						values: SAMPLE_DISTRICTS.map((_, i) => 60 + Math.round(noise(i + n) * 80)),
						color: '#9a9a9a'
					}
				]
			}
		}
	];
}

/**
 * The sample report: `parts` parts of `rows` table rows each (1 part of 60 rows makes about five
 * A4 pages; 4 of 60 about twenty).
 */
export function sampleReport(opts: { parts?: number; rows?: number } = {}): ReportDoc {
	const { parts = 1, rows = 60 } = opts;
	const blocks: Block[] = [];
	for (let n = 1; n <= parts; n++) blocks.push(...part(n, rows));
	blocks.push(
		{ kind: 'heading', level: 1, text: 'KIẾN NGHỊ, ĐỀ XUẤT' },
		{
			kind: 'paragraph',
			runs: [
				'Đề nghị Ủy ban nhân dân thành phố xem xét, bổ sung kinh phí cho các huyện Cờ Đỏ, Thới Lai và Vĩnh Thạnh để hoàn thành mục tiêu của Kế hoạch trong năm 2026.'
			]
		},
		{
			kind: 'paragraph',
			runs: ['Sở Giáo dục và Đào tạo kính báo cáo Ủy ban nhân dân thành phố./.']
		}
	);
	return {
		locale: 'vi',
		header: {
			parent: 'UBND THÀNH PHỐ CẦN THƠ',
			issuer: 'SỞ GIÁO DỤC VÀ ĐÀO TẠO',
			number: 'Số:        /BC-SGDĐT',
			placeDate: 'Cần Thơ, ngày      tháng      năm 2026',
			kind: 'BÁO CÁO',
			title: [
				'Kết quả thực hiện Kế hoạch số 83/KH-UBND',
				'về chuyển đổi số ngành giáo dục năm 2026'
			]
		},
		addressee: 'Kính gửi: Ủy ban nhân dân thành phố Cần Thơ.',
		blocks,
		recipients: {
			heading: 'Nơi nhận:',
			lines: [
				'- Như trên;',
				'- UBND các quận, huyện;',
				'- Giám đốc, các Phó Giám đốc Sở;',
				'- Lưu: VT, KHTC.'
			]
		},
		signature: { authority: 'KT. GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC', name: 'Nguyễn Văn Thành' },
		meta: {
			title: 'Báo cáo kết quả thực hiện Kế hoạch số 83/KH-UBND năm 2026',
			subject: 'Chuyển đổi số ngành giáo dục thành phố Cần Thơ',
			generatedAt: '2026-12-04T09:30:00+07:00',
			footer:
				'Tạo tự động bởi Trung tâm điều hành giáo dục thông minh Cần Thơ lúc 09:30 ngày 04/12/2026; số liệu đến hết ngày 03/12/2026.'
		}
	};
}
