import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		typescript: {
			// type-check ingest/, bench/ and scripts/ with the app: they share src/lib/shared
			config: (c) => {
				c.include.push('../ingest/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts', '../tests/**/*.ts');
			}
		}
	}
};

export default config;
