import type { HandleServerError, ServerInit } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import { logger } from '$lib/server/log';

const log = logger('http');

export const init: ServerInit = async () => {
	await appRuntime();
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status !== 404) log.error('unhandled', { path: event.url.pathname, status, error });
	return { message };
};
