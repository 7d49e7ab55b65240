import { TestBed } from '@angular/core/testing';
import type { FileInfo } from '@flack/contract';
import { FakeSocket, provideFakeServer, settle, snapshot } from '../../testing/fake-socket';
import { RequestError } from '../core/app-error';
import { FETCH } from '../core/session-api';
import { SessionStore } from '../core/session-store';
import { AttachmentTray } from './attachment-tray';
import { MessageFiles } from './message-files';
import { UPLOAD_TRANSPORT, UploadCancelled, type UploadRequest } from './upload-transport';
import { UploadsStore } from './uploads-store';

interface Pending {
  request: UploadRequest;
  resolve(info: FileInfo): void;
  reject(error: unknown): void;
}

describe('files in the view', () => {
  let requests: Pending[];

  beforeEach(async () => {
    const fake = new FakeSocket();
    fake.answerOk('session:get', snapshot());
    requests = [];
    TestBed.configureTestingModule({
      providers: [
        ...provideFakeServer(fake),
        { provide: FETCH, useValue: () => Promise.resolve(new Response(null, { status: 204 })) },
        {
          provide: UPLOAD_TRANSPORT,
          useValue: (request: UploadRequest) => {
            let pending!: Pending;
            const done = new Promise<FileInfo>((resolve, reject) => (pending = { request, resolve, reject }));
            requests.push(pending);
            return { done, abort: () => pending.reject(new UploadCancelled()) };
          },
        },
      ],
    });
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
  });

  describe('AttachmentTray', () => {
    async function tray() {
      const fixture = TestBed.createComponent(AttachmentTray);
      fixture.componentRef.setInput('channel', 'general');
      await fixture.whenStable();
      return fixture;
    }

    it('shows each file with its progress, and Cancel takes it away', async () => {
      const store = TestBed.inject(UploadsStore);
      store.add('general', [new File(['abc'], 'plan.pdf'), new File(['x'], 'other.png')]);
      store.add('random', [new File(['y'], 'elsewhere.png')]);
      const fixture = await tray();
      requests[0].request.onProgress(1, 2);
      await fixture.whenStable();
      const element: HTMLElement = fixture.nativeElement;

      expect([...element.querySelectorAll('.item-name')].map((n) => n.textContent)).toEqual([
        'plan.pdf',
        'other.png',
      ]);
      const bar = element.querySelector('[role="progressbar"][aria-label="Uploading plan.pdf"]');
      expect(bar?.getAttribute('aria-valuenow')).toBe('50');
      expect(element.textContent).toContain('Uploading 50%');

      element.querySelector<HTMLButtonElement>('[aria-label="Cancel upload of plan.pdf"]')!.click();
      await fixture.whenStable();
      expect([...element.querySelectorAll('.item-name')].map((n) => n.textContent)).toEqual(['other.png']);
    });

    it('says why an upload failed and retries it', async () => {
      TestBed.inject(UploadsStore).add('general', [new File(['abc'], 'big.bin')]);
      const fixture = await tray();
      requests[0].reject(new RequestError({ code: 'QUOTA_EXCEEDED', message: 'Your 64 MB are used up.' }));
      await settle();
      await fixture.whenStable();
      const element: HTMLElement = fixture.nativeElement;
      expect(element.querySelector('.item-failure')?.textContent).toBe(
        'Storage is full. Your 64 MB are used up.',
      );

      const retry = [...element.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Retry')!;
      retry.click();
      await fixture.whenStable();
      expect(requests).toHaveLength(2);
      expect(element.textContent).toContain('Uploading 0%');
    });
  });

  describe('MessageFiles', () => {
    it('reserves each image’s box from its known size, and shows other files as cards with name and size', async () => {
      const fixture = TestBed.createComponent(MessageFiles);
      fixture.componentRef.setInput('files', [
        { id: 'a', name: 'wide.png', type: 'image/png', size: 10, image: { width: 1200, height: 400 } },
        { id: 'b', name: 'tall.jpg', type: 'image/jpeg', size: 10, image: { width: 300, height: 600 } },
        { id: 'c', name: 'report final version.pdf', type: 'application/pdf', size: 2_500_000 },
      ]);
      await fixture.whenStable();
      const element: HTMLElement = fixture.nativeElement;

      const boxes = [...element.querySelectorAll<HTMLElement>('.image')].map((b) => [
        b.style.width,
        b.style.aspectRatio,
      ]);
      expect(boxes).toEqual([
        ['200px', '200 / 67'],
        ['75px', '75 / 150'],
      ]);
      const card = element.querySelector<HTMLAnchorElement>('.card')!;
      expect(card.getAttribute('href')).toBe('/api/files/c');
      expect(card.hasAttribute('download')).toBe(true);
      expect(card.querySelector('.card-name')?.getAttribute('dir')).toBe('auto');
      expect(card.getAttribute('aria-label')).toBe('Download report final version.pdf, 2.5 MB');
    });
  });
});
