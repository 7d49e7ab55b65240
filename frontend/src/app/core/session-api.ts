import { Injectable, InjectionToken, inject } from '@angular/core';
import { API_PREFIX, type ClaimNameRequest, type ClaimNameResponse } from '@flack/contract';
import { CLIENT_ERRORS, RequestError, isErrorBody } from './app-error';

export const FETCH = new InjectionToken<typeof fetch>('FETCH', {
  providedIn: 'root',
  factory: () => (input, init) => fetch(input, init),
});

/** The REST side of the server: only claiming a name, which happens before there is a socket. */
@Injectable({ providedIn: 'root' })
export class SessionApi {
  private readonly fetch = inject(FETCH);

  /** Rejects with a `RequestError` holding the server's `ErrorBody` (NAME_TAKEN, INVALID, ...). */
  async claimName(name: string): Promise<ClaimNameResponse> {
    const body: ClaimNameRequest = { name };
    let response: Response;
    try {
      response = await this.fetch(`${API_PREFIX}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
    } catch {
      throw new RequestError(CLIENT_ERRORS.NETWORK);
    }
    const json: unknown = await response.json().catch(() => null);
    if (response.ok) return json as ClaimNameResponse;
    throw new RequestError(
      isErrorBody(json)
        ? json
        : { code: 'INTERNAL', message: `The server answered ${response.status}. Please try again.` },
    );
  }
}
