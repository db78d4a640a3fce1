/** School names: the preschools' own names and the ward stems the others are named after. */
import type { Group } from './groups';

/** Names for preschools that are not named after their ward. */
export const PRESCHOOL_NAMES = [
	'Hoa Sen',
	'Họa Mi',
	'Sơn Ca',
	'Hoa Mai',
	'Hướng Dương',
	'Vàng Anh',
	'Hoa Hồng',
	'Hoa Cúc',
	'Hoa Lan',
	'Hoa Phượng',
	'Hoa Đào',
	'Hoa Huệ',
	'Hoa Sứ',
	'Hoa Ban',
	'Tuổi Thơ',
	'Tuổi Ngọc',
	'Ánh Dương',
	'Bình Minh',
	'Sao Mai',
	'Ban Mai',
	'Búp Sen Xanh',
	'Thỏ Ngọc',
	'Hoa Thủy Tiên',
	'Sao Sáng',
	'Võ Thị Sáu',
	'Nguyễn Thị Minh Khai',
	'Hoa Súng',
	'Măng Non',
	'Hoa Lài',
	'Tuổi Hồng',
	'Hoa Mười Giờ',
	'Thiên Thần',
	'Hoa Bằng Lăng',
	'Chim Non'
];

/** Plan-83 ward spellings that differ from the ward list only by capitalisation. */
export function fixWard(ward: string, wards: string[]): string {
	const w = ward.normalize('NFC');
	return wards.find((x) => x.toLocaleLowerCase('vi') === w.toLocaleLowerCase('vi')) ?? w;
}

/** The part of a ward name used in a school name: thị trấn keep their prefix below THPT. */
export function stemOf(ward: string, group: Group): string {
	if (ward.startsWith('Thị trấn '))
		return group === 'upper' || group === 'thcs_thpt' ? ward.slice('Thị trấn '.length) : ward;
	return ward.replace(/^(Phường|Xã) /, '');
}
