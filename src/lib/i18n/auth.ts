/** Strings of signing in and out. Vietnamese first; English must have the same keys. */
export const authVi = {
	'auth.title': 'Đăng nhập',
	'auth.subtitle': 'Trung tâm điều hành giáo dục thông minh Cần Thơ',
	'auth.email': 'Email',
	'auth.password': 'Mật khẩu',
	'auth.submit': 'Đăng nhập',
	'auth.error.invalid': 'Email hoặc mật khẩu không đúng.',
	'auth.error.missing': 'Nhập email và mật khẩu.',
	'auth.error.blocked.account':
		'Tài khoản này đã nhập sai quá nhiều lần. Thử lại sau {minutes} phút.',
	'auth.error.blocked.address':
		'Máy này đã đăng nhập sai quá nhiều lần. Thử lại sau {minutes} phút.',
	'auth.denied':
		'Tài khoản của bạn không mở được trang đó (cần vai trò {role}). Đăng nhập bằng tài khoản khác.',
	'auth.signedin': 'Đang đăng nhập: {email} ({role})',
	'auth.logout': 'Đăng xuất',
	'auth.logout.all': 'Đăng xuất mọi nơi',
	'auth.role.leader': 'lãnh đạo',
	'auth.role.analyst': 'chuyên viên phân tích',
	'auth.role.operator': 'điều hành viên',
	'auth.role.admin': 'quản trị'
} as const;

export const authEn: Record<keyof typeof authVi, string> = {
	'auth.title': 'Sign in',
	'auth.subtitle': 'Cần Thơ Smart Education Operations Centre',
	'auth.email': 'Email',
	'auth.password': 'Password',
	'auth.submit': 'Sign in',
	'auth.error.invalid': 'Wrong email or password.',
	'auth.error.missing': 'Enter your email and password.',
	'auth.error.blocked.account':
		'Too many failed attempts for this account. Try again in {minutes} minutes.',
	'auth.error.blocked.address':
		'Too many failed attempts from this machine. Try again in {minutes} minutes.',
	'auth.denied':
		'Your account cannot open that page (it needs the {role} role). Sign in with another account.',
	'auth.signedin': 'Signed in: {email} ({role})',
	'auth.logout': 'Sign out',
	'auth.logout.all': 'Sign out everywhere',
	'auth.role.leader': 'leader',
	'auth.role.analyst': 'analyst',
	'auth.role.operator': 'operator',
	'auth.role.admin': 'admin'
};
