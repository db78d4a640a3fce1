/** Per district: its wards and communes, its level mix and the centre urban schools cluster round. */
import type { Group } from './groups';

export interface DistrictSpec {
	/** wards and communes before 2025, with their prefix */
	wards: string[];
	/** schools per group, plan units included; sums to the district total */
	mix: Record<Group, number>;
	/** the town centre urban schools cluster around (lon, lat); the centroid when outside the shape */
	centre: [number, number];
}

const mix = (
	preschool: number,
	primary: number,
	lower: number,
	upper: number,
	th_thcs: number,
	thcs_thpt: number
) => ({
	preschool,
	primary,
	th_thcs,
	lower,
	thcs_thpt,
	upper
});
const P = (names: string[]) => names.map((n) => `Phường ${n}`);
const X = (names: string[]) => names.map((n) => `Xã ${n}`);

// Roughly Cần Thơ 2023–24 (≈150 preschool, 170 primary, 85 THCS, 30 THPT, 32 multi-level),
// spread by population; rural districts have more, smaller schools per head (one per commune).
export const DISTRICTS: Record<string, DistrictSpec> = {
	'ninh-kieu': {
		wards: P([
			'An Hòa',
			'An Khánh',
			'An Bình',
			'An Cư',
			'An Hội',
			'An Lạc',
			'An Nghiệp',
			'An Phú',
			'Cái Khế',
			'Hưng Lợi',
			'Tân An',
			'Thới Bình',
			'Xuân Khánh'
		]),
		mix: mix(30, 31, 15, 8, 2, 2),
		centre: [105.776, 10.036]
	},
	'binh-thuy': {
		wards: P([
			'An Thới',
			'Bình Thủy',
			'Bùi Hữu Nghĩa',
			'Long Hòa',
			'Long Tuyền',
			'Thới An Đông',
			'Trà An',
			'Trà Nóc'
		]),
		mix: mix(14, 15, 8, 4, 2, 1),
		centre: [105.752, 10.069]
	},
	'cai-rang': {
		wards: P([
			'Lê Bình',
			'Hưng Phú',
			'Hưng Thạnh',
			'Ba Láng',
			'Phú Thứ',
			'Tân Phú',
			'Thường Thạnh'
		]),
		mix: mix(12, 12, 7, 4, 2, 1),
		centre: [105.77, 10.01]
	},
	'o-mon': {
		wards: P([
			'Châu Văn Liêm',
			'Long Hưng',
			'Phước Thới',
			'Thới An',
			'Thới Hòa',
			'Thới Long',
			'Trường Lạc'
		]),
		mix: mix(16, 18, 9, 3, 2, 2),
		centre: [105.626, 10.114]
	},
	'thot-not': {
		wards: P([
			'Thốt Nốt',
			'Thới Thuận',
			'Thuận An',
			'Thuận Hưng',
			'Trung Kiên',
			'Trung Nhứt',
			'Thạnh Hòa',
			'Tân Hưng',
			'Tân Lộc'
		]),
		mix: mix(18, 21, 10, 3, 2, 2),
		centre: [105.535, 10.27]
	},
	'vinh-thanh': {
		wards: [
			'Thị trấn Vĩnh Thạnh',
			'Thị trấn Thạnh An',
			...X([
				'Thạnh An',
				'Thạnh Lộc',
				'Thạnh Lợi',
				'Thạnh Mỹ',
				'Thạnh Quới',
				'Thạnh Thắng',
				'Thạnh Tiến',
				'Vĩnh Bình',
				'Vĩnh Trinh'
			])
		],
		mix: mix(15, 18, 9, 2, 2, 1),
		centre: [105.4, 10.2]
	},
	'co-do': {
		wards: [
			'Thị trấn Cờ Đỏ',
			...X([
				'Đông Hiệp',
				'Đông Thắng',
				'Thạnh Phú',
				'Thới Đông',
				'Thới Hưng',
				'Thới Xuân',
				'Trung An',
				'Trung Hưng',
				'Trung Thạnh'
			])
		],
		mix: mix(16, 19, 9, 3, 2, 1),
		centre: [105.43, 10.09]
	},
	'phong-dien': {
		wards: [
			'Thị trấn Phong Điền',
			...X(['Giai Xuân', 'Mỹ Khánh', 'Nhơn Ái', 'Nhơn Nghĩa', 'Tân Thới', 'Trường Long'])
		],
		mix: mix(13, 16, 8, 2, 2, 1),
		centre: [105.665, 9.999]
	},
	'thoi-lai': {
		wards: [
			'Thị trấn Thới Lai',
			...X([
				'Định Môn',
				'Đông Bình',
				'Đông Thuận',
				'Tân Thạnh',
				'Thới Tân',
				'Thới Thạnh',
				'Trường Thắng',
				'Trường Thành',
				'Trường Xuân',
				'Trường Xuân A',
				'Trường Xuân B',
				'Xuân Thắng'
			])
		],
		mix: mix(16, 20, 10, 1, 3, 2),
		centre: [105.56, 10.065]
	}
};
