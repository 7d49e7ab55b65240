import { TestBed } from '@angular/core/testing';
import { FETCH, SessionApi } from './session-api';

describe('SessionApi', () => {
  let fetch: jest.Mock<Promise<Response>, Parameters<typeof globalThis.fetch>>;
  let api: SessionApi;

  function answer(status: number, body: unknown) {
    fetch.mockResolvedValue({ ok: status < 300, status, json: () => Promise.resolve(body) } as Response);
  }

  beforeEach(() => {
    fetch = jest.fn();
    TestBed.configureTestingModule({ providers: [{ provide: FETCH, useValue: fetch }] });
    api = TestBed.inject(SessionApi);
  });

  it('claims a name with a JSON POST to the same origin', async () => {
    const claim = { token: 'secret', user: { id: 'u1', name: 'Ada' } };
    answer(201, claim);

    await expect(api.claimName('Ada')).resolves.toEqual(claim);

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/api/sessions');
    expect(init).toMatchObject({ method: 'POST', body: JSON.stringify({ name: 'Ada' }) });
  });

  it("rejects with the server's error body", async () => {
    const taken = { code: 'NAME_TAKEN', message: 'Someone is already called "Ada".' };
    answer(409, taken);

    await expect(api.claimName('Ada')).rejects.toMatchObject({ body: taken });
  });

  it('says the server answered badly when the body is not an error', async () => {
    answer(502, '<html>Bad gateway</html>');

    await expect(api.claimName('Ada')).rejects.toMatchObject({
      body: { code: 'INTERNAL', message: 'The server answered 502. Please try again.' },
    });
  });

  it('says the server cannot be reached when the request fails', async () => {
    fetch.mockRejectedValue(new TypeError('Failed to fetch'));

    await expect(api.claimName('Ada')).rejects.toMatchObject({ body: { code: 'NETWORK' } });
  });
});
