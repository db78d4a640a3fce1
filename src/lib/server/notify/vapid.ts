/** The VAPID key pair Web Push needs: made at the first start and kept in the store's settings. */
import webpush from 'web-push';
import { keptSetting } from '../store/notify';
import type { Store } from '../store/open';
import type { Vapid } from './channels';

export async function vapidKeys(store: Store, contact: string): Promise<Vapid> {
	const raw = await keptSetting(store, 'vapid', () => JSON.stringify(webpush.generateVAPIDKeys()));
	const k = JSON.parse(raw) as { publicKey: string; privateKey: string };
	// the push service's contact: the sender's address (mailto:) — never a localhost URL
	const addr = /<([^>]+)>/.exec(contact)?.[1] ?? contact;
	return { publicKey: k.publicKey, privateKey: k.privateKey, subject: `mailto:${addr.trim()}` };
}
