// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Session } from '$lib/server/store/sessions';
import type { User } from '$lib/server/store/users';

declare global {
	namespace App {
		interface Locals {
			/** the signed-in account, or null */
			user: User | null;
			session: Session | null;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
