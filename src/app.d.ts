// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Session } from '$lib/server/store/sessions';
import type { User } from '$lib/server/store/users';
import type { TokenPrincipal } from '$lib/server/auth/principal';

declare global {
	namespace App {
		interface Locals {
			/** the signed-in account, or null */
			user: User | null;
			session: Session | null;
			/** a wall or embed token's grant, when the request came with one (and no account) */
			token: TokenPrincipal | null;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
