/** Where to go after signing in: only a path of this site (`//elsewhere` or a URL would be an open redirect). */
export function safeNext(v: string | null | undefined): string {
	return v && v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/\\') ? v : '/wall';
}
