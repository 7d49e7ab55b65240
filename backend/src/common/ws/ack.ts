import type { AckResponse } from '@flack/contract';

/** A successful acknowledgement; failures are answered by WsAckExceptionFilter. */
export const ok = <T>(data: T): AckResponse<T> => ({ ok: true, data });
