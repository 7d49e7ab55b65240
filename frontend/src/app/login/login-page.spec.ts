import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { FakeSocket, provideFakeServer, settleView, snapshot } from '../../testing/fake-socket';
import { fieldLabelled, submitFrom, text, typeInto } from '../../testing/dom';
import { RequestError } from '../core/app-error';
import { SessionStore } from '../core/session-store';
import { LoginPage } from './login-page';
import { StubPage } from '../../testing/stub-page';

describe('LoginPage', () => {
  let claimName: jest.Mock;
  let harness: RouterTestingHarness;

  const page = () => harness.routeNativeElement as HTMLElement;

  async function signInAs(name: string) {
    const field = fieldLabelled(page(), 'Display name');
    typeInto(field, name);
    await harness.fixture.whenStable();
    submitFrom(field);
    await settleView(harness.fixture);
  }

  beforeEach(async () => {
    localStorage.clear();
    const fake = new FakeSocket();
    fake.answerOk('session:get', snapshot());
    claimName = jest.fn();
    TestBed.configureTestingModule({
      providers: [
        ...provideFakeServer(fake, claimName),
        provideRouter([
          { path: 'login', component: LoginPage },
          { path: '', component: StubPage },
        ]),
      ],
    });
    harness = await RouterTestingHarness.create('/login');
  });

  it('signs in with the name and goes in', async () => {
    await signInAs('Ada');

    expect(claimName).toHaveBeenCalledWith('Ada');
    expect(TestBed.inject(SessionStore).signedIn()).toBe(true);
    expect(TestBed.inject(Router).url).toBe('/');
  });

  it("stays and shows the server's reason when the name is taken", async () => {
    claimName.mockRejectedValue(new RequestError({ code: 'NAME_TAKEN', message: 'Ada is already here.' }));

    await signInAs('Ada');

    expect(TestBed.inject(Router).url).toBe('/login');
    expect(text(page().querySelector('[role="alert"]'))).toBe('Ada is already here.');
  });

  it('clears the refusal once the name is edited', async () => {
    claimName.mockRejectedValue(new RequestError({ code: 'NAME_TAKEN', message: 'Ada is already here.' }));
    await signInAs('Ada');

    typeInto(fieldLabelled(page(), 'Display name'), 'Ada 2');
    await harness.fixture.whenStable();

    expect(page().querySelector('[role="alert"]')).toBeNull();
  });
});
