/** Sign in to a running app as a program would: the login form's POST, returning the session cookie. */
export const TEST_ADMIN = { email: 'admin@test.example', password: 'test-admin-password-83' };

export async function signIn(
	baseUrl: string,
	who: { email: string; password: string } = TEST_ADMIN
): Promise<{ name: string; value: string; header: string }> {
	const r = await fetch(`${baseUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		// a form post from the site itself (SvelteKit refuses cross-origin form posts)
		headers: {
			origin: baseUrl,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ email: who.email, password: who.password }).toString()
	});
	const set = r.headers.getSetCookie().find((c) => c.startsWith('edu_session='));
	if (r.status !== 303 || !set)
		throw new Error(`sign-in as ${who.email} failed: ${r.status} ${await r.text()}`);
	const value = set.slice('edu_session='.length).split(';')[0];
	return { name: 'edu_session', value, header: `edu_session=${value}` };
}
