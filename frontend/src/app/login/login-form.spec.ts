import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { fieldLabelled, submitFrom, text, typeInto } from '../../testing/dom';
import { LoginForm } from './login-form';

describe('LoginForm', () => {
  let fixture: ComponentFixture<LoginForm>;
  let submitted: string[];
  let element: HTMLElement;

  beforeEach(async () => {
    fixture = TestBed.createComponent(LoginForm);
    submitted = [];
    fixture.componentInstance.submitted.subscribe((name) => submitted.push(name));
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  const nameField = () => fieldLabelled(element, 'Display name');

  it('submits the trimmed name', async () => {
    typeInto(nameField(), '  Ada Lovelace ');
    await fixture.whenStable();

    submitFrom(nameField());

    expect(submitted).toEqual(['Ada Lovelace']);
  });

  it('does not submit an empty name', () => {
    typeInto(nameField(), '   ');
    submitFrom(nameField());

    expect(submitted).toEqual([]);
  });

  it('explains a name that is too long instead of sending it', async () => {
    typeInto(nameField(), 'x'.repeat(33));
    await fixture.whenStable();
    submitFrom(nameField());

    expect(submitted).toEqual([]);
    expect(text(element)).toContain('33 characters is too long: the limit is 32.');
  });

  it('counts an emoji as one character, as the server does', async () => {
    typeInto(nameField(), 'x'.repeat(31) + '👩‍💻');
    await fixture.whenStable();
    submitFrom(nameField());

    expect(submitted).toHaveLength(1);
  });

  it('shows the server error as an alert, as text', async () => {
    fixture.componentRef.setInput('error', { code: 'NAME_TAKEN', message: '<b>Ada</b> is taken.' });
    await fixture.whenStable();

    const alert = element.querySelector('[role="alert"]');
    expect(text(alert)).toBe('<b>Ada</b> is taken.');
    expect(alert?.querySelector('b')).toBeNull();
  });

  it('has a Continue button that submits', async () => {
    typeInto(nameField(), 'Ada');
    await fixture.whenStable();
    const button = element.querySelector<HTMLButtonElement>('button[type="submit"]');

    expect(text(button)).toBe('Continue');
    button?.click();
    expect(submitted).toEqual(['Ada']);
  });
});
