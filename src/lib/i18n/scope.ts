/** Strings of accounts' scopes (the city, a district, a school). Vietnamese first; English must have the same keys. */
export const scopeVi = {
	'scope.line': 'Phạm vi: {name}',
	'scope.line.hint': 'Tài khoản này chỉ xem số liệu của {name}.',
	'scope.column': 'Phạm vi',
	'scope.city': 'Toàn thành phố',
	'scope.kind.city': 'Toàn thành phố',
	'scope.kind.district': 'Một quận, huyện',
	'scope.kind.school': 'Một trường',
	'scope.district': 'Quận, huyện',
	'scope.school': 'Trường',
	'scope.school.placeholder': 'Mã trường, ví dụ ct-916-001',
	'scope.set': 'Lưu phạm vi',
	'scope.admin': 'Quản trị viên luôn quản lý toàn thành phố',
	'scope.error.district': 'Không có quận, huyện "{id}" trong danh mục trường.',
	'scope.error.school': 'Không có trường "{id}" trong danh mục trường.',
	'scope.error.kind': 'Chọn toàn thành phố, một quận, huyện hoặc một trường.',
	'scope.error.admin': 'Quản trị viên không thể bị giới hạn phạm vi.',
	'scope.done': 'Đã đặt phạm vi của {email}: {scope}.'
} as const;

export const scopeEn: Record<keyof typeof scopeVi, string> = {
	'scope.line': 'Scope: {name}',
	'scope.line.hint': 'This account sees the figures of {name} only.',
	'scope.column': 'Scope',
	'scope.city': 'Whole city',
	'scope.kind.city': 'Whole city',
	'scope.kind.district': 'One district',
	'scope.kind.school': 'One school',
	'scope.district': 'District',
	'scope.school': 'School',
	'scope.school.placeholder': 'School id, e.g. ct-916-001',
	'scope.set': 'Save scope',
	'scope.admin': 'Admins always manage the whole city',
	'scope.error.district': 'No district "{id}" in the school registry.',
	'scope.error.school': 'No school "{id}" in the school registry.',
	'scope.error.kind': 'Choose the whole city, one district or one school.',
	'scope.error.admin': 'An admin cannot be scoped.',
	'scope.done': 'Scope of {email} set: {scope}.'
};
