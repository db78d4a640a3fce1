/**
 * Security headers on every response (the CSP itself comes from svelte.config.js, with nonces
 * for SvelteKit's inline scripts).
 */
export const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'cross-origin-opener-policy': 'same-origin',
	'cross-origin-resource-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'
};

export function withSecurityHeaders(response: Response): Response {
	for (const [k, v] of Object.entries(SECURITY_HEADERS))
		if (!response.headers.has(k)) response.headers.set(k, v);
	return response;
}

/**
 * An embed may be framed by the configured IOC origins only: its CSP's frame-ancestors lists them
 * (or 'none'), and X-Frame-Options (which cannot list origins) is left out.
 */
export function allowFraming(response: Response, origins: readonly string[]): Response {
	const csp = response.headers.get('content-security-policy');
	const ancestors = `frame-ancestors ${origins.length ? origins.join(' ') : "'none'"}`;
	response.headers.set(
		'content-security-policy',
		csp ? csp.replace(/frame-ancestors[^;]*/, ancestors) : ancestors
	);
	response.headers.delete('x-frame-options');
	return response;
}
