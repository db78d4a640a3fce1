import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Content-Security-Policy on every page: only this origin's scripts (SvelteKit's own inline
		// script gets a nonce), styles inline (Svelte writes style attributes), the map's worker
		// from a blob, no framing (embeds get their own frame-ancestors), forms back to this site.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'child-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		typescript: {
			// type-check ingest/, bench/ and scripts/ with the app: they share src/lib/shared
			config: (c) => {
				c.include.push(
					'../harness/**/*.ts',
					'../ingest/**/*.ts',
					'../bench/**/*.ts',
					'../scripts/**/*.ts',
					'../tests/**/*.ts'
				);
			}
		}
	}
};

export default config;
