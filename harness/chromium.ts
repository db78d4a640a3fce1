/**
 * How the tests and the benches start Debian's Chromium (never a downloaded browser): its path,
 * and flags that keep it from calling home (no request may leave the machine).
 */
export const CHROMIUM_LAUNCH = {
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: [
		'--no-sandbox',
		'--disable-quic',
		'--no-first-run',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync'
	]
};
