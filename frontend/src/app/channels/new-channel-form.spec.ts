import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { fieldLabelled, submitFrom, text, typeInto } from '../../testing/dom';
import { NewChannelForm } from './new-channel-form';

describe('NewChannelForm', () => {
  let fixture: ComponentFixture<NewChannelForm>;
  let created: string[];
  let field: HTMLInputElement;

  beforeEach(async () => {
    fixture = TestBed.createComponent(NewChannelForm);
    created = [];
    fixture.componentInstance.create.subscribe((name) => created.push(name));
    await fixture.whenStable();
    field = fieldLabelled(fixture.nativeElement, 'New channel');
  });

  it('asks to create the trimmed name on Enter', async () => {
    typeInto(field, ' design-reviews ');
    await fixture.whenStable();

    submitFrom(field);

    expect(created).toEqual(['design-reviews']);
  });

  it('does not ask twice while the first is on its way', async () => {
    typeInto(field, 'ideas');
    fixture.componentRef.setInput('busy', true);
    await fixture.whenStable();

    submitFrom(field);

    expect(created).toEqual([]);
  });

  it("shows the server's message in an alert", async () => {
    fixture.componentRef.setInput('error', {
      code: 'CHANNEL_EXISTS',
      message: 'A channel named "ideas" already exists.',
    });
    await fixture.whenStable();

    expect(text(fixture.nativeElement.querySelector('[role="alert"]'))).toBe(
      'A channel named "ideas" already exists.',
    );
  });

  it('lists the details of an invalid name', async () => {
    fixture.componentRef.setInput('error', {
      code: 'INVALID',
      message: 'The channel name is not valid.',
      details: { name: ['name must not contain control characters'] },
    });
    await fixture.whenStable();

    const items = [...fixture.nativeElement.querySelectorAll('[role="alert"] li')].map(text);
    expect(items).toEqual(['name must not contain control characters']);
  });
});
