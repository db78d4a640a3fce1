/**
 * Completeness data: the nine datasets, their sizes and the fields most often left empty, and
 * how full a school keeps them.
 */
import type { Dataset } from '#shared/contract';
import { hashStr, type Rng } from '../random';
import type { StaticInfo } from './school';

export interface DatasetSpec {
	/** fields per record */
	fields: number;
	records: (st: StaticInfo, rural: boolean) => number;
	/** the fields most often left empty */
	missing: string[];
}

export const DATASET_SPECS: Record<Dataset, DatasetSpec> = {
	school: {
		fields: 48,
		records: () => 1,
		missing: [
			'ma_so_thue',
			'so_dien_thoai',
			'email',
			'website',
			'so_quyet_dinh_thanh_lap',
			'ngay_thanh_lap',
			'toa_do_gps'
		]
	},
	sites: {
		fields: 14,
		records: (st, rural) => 1 + (hashStr(st.school.school_id) % (rural ? 3 : 2)),
		missing: [
			'toa_do_gps',
			'dien_tich_dat',
			'so_giay_chung_nhan_qsdd',
			'khoang_cach_diem_chinh',
			'dia_chi_chi_tiet'
		]
	},
	classes: {
		fields: 16,
		records: (st) => st.classes.length,
		missing: [
			'giao_vien_chu_nhiem',
			'phong_hoc',
			'so_buoi_hoc_tuan',
			'hoc_ngoai_ngu',
			'ngay_cap_nhat'
		]
	},
	students: {
		fields: 32,
		records: (st) => st.school.enrolment,
		missing: [
			'so_dien_thoai_phu_huynh',
			'ma_dinh_danh',
			'noi_sinh',
			'dan_toc',
			'dien_chinh_sach',
			'ho_ten_me',
			'ho_ten_cha',
			'ngay_cap_nhat',
			'khuyet_tat'
		]
	},
	staff: {
		fields: 44,
		records: (st) => Math.max(3, Math.round(st.school.enrolment / 18) + 4),
		missing: [
			'trinh_do_chuyen_mon',
			'chung_chi_tin_hoc',
			'so_so_bhxh',
			'ngay_vao_nganh',
			'hang_chuc_danh_nghe_nghiep',
			'so_dien_thoai'
		]
	},
	facilities: {
		fields: 12,
		records: (st) => st.school.classrooms + 3 + (st.h % 5),
		missing: ['nam_xay_dung', 'tinh_trang', 'dien_tich', 'nguon_von', 'so_thiet_bi_dinh_kem']
	},
	finance: {
		fields: 22,
		records: () => 12,
		missing: [
			'du_toan_ngan_sach',
			'nguon_thu_hoc_phi',
			'chi_thuong_xuyen',
			'ngay_cap_nhat',
			'quyet_toan_nam_truoc'
		]
	},
	enrolment: {
		fields: 18,
		records: (st) => Math.max(1, Math.round(st.school.enrolment / Math.max(1, st.gradesTaught))),
		missing: [
			'ngay_nhap_hoc',
			'truong_cu',
			'ket_qua_tuyen_sinh',
			'noi_thuong_tru',
			'doi_tuong_uu_tien'
		]
	},
	learning_results: {
		fields: 26,
		records: (st) => st.school.enrolment,
		missing: [
			'diem_trung_binh_hk1',
			'nhan_xet_giao_vien',
			'ket_qua_ren_luyen',
			'ngay_cap_nhat',
			'danh_hieu_thi_dua'
		]
	}
};

/**
 * How full a school keeps a dataset, from its draw `u`: [ratio at the start of the school year,
 * gain per day of the year, day-to-day jitter]. Behind: 60–85 % filled, +1 point a hundred days;
 * otherwise 30 % complete and the rest 90–99 %.
 */
export function fillModel(u: number, behind: boolean): [number, number, number] {
	return behind
		? [0.6 + 0.25 * u, 0.0001, 0.004]
		: u < 0.3
			? [1, 0, 0]
			: [1 - 0.1 * u * u, 0.00005, 0.002];
}

/**
 * The fields a school leaves empty in a dataset, in order: 1–3 of the spec's `missing` (1–5 when
 * behind on data). A report with n empty fields names the first n.
 */
export function emptyFieldPool(missing: readonly string[], rng: Rng, behind: boolean): string[] {
	const left = [...missing];
	const want = Math.min(left.length, 1 + Math.floor(rng() * (behind ? 5 : 3)));
	const pool: string[] = [];
	for (let k = 0; k < want; k++) pool.push(left.splice(Math.floor(rng() * left.length), 1)[0]);
	return pool;
}
