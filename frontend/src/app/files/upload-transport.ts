import { InjectionToken } from '@angular/core';
import { uploadUrl, type ErrorBody, type UploadResponse } from '@flack/contract';
import { CLIENT_ERRORS, RequestError, isErrorBody } from '../core/app-error';

export interface UploadRequest {
  file: Blob;
  name: string;
  token: string;
  /** Bytes sent so far of `total`. */
  onProgress: (sent: number, total: number) => void;
}

export interface UploadHandle {
  /** The stored file; rejects with a `RequestError`, or `UploadCancelled` after `abort()`. */
  readonly done: Promise<UploadResponse>;
  abort(): void;
}

export class UploadCancelled extends Error {
  constructor() {
    super('The upload was cancelled.');
    this.name = 'UploadCancelled';
  }
}

export type UploadTransport = (request: UploadRequest) => UploadHandle;

/**
 * `POST /api/files?name=` with the raw bytes (docs/protocol.md "Files"). XMLHttpRequest, because
 * it reports upload progress and can be aborted; the Blob gives the browser its Content-Length,
 * so the server refuses a file over a limit before reading it.
 */
export const xhrUpload: UploadTransport = ({ file, name, token, onProgress }) => {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadResponse>((resolve, reject) => {
    xhr.upload.onprogress = (event) =>
      onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      const body = parse(xhr.responseText);
      if (xhr.status === 201 && body) return resolve(body as UploadResponse);
      reject(new RequestError(isErrorBody(body) ? body : statusError(xhr.status)));
    };
    xhr.onerror = () =>
      reject(new RequestError(navigator.onLine === false ? CLIENT_ERRORS.OFFLINE : CLIENT_ERRORS.NETWORK));
    xhr.onabort = () => reject(new UploadCancelled());
  });
  xhr.open('POST', uploadUrl(name));
  xhr.setRequestHeader('Authorization', `Bearer ${token}`);
  xhr.setRequestHeader('Content-Type', 'application/octet-stream');
  xhr.send(file);
  return { done, abort: () => xhr.abort() };
};

export const UPLOAD_TRANSPORT = new InjectionToken<UploadTransport>('UPLOAD_TRANSPORT', {
  providedIn: 'root',
  factory: () => xhrUpload,
});

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A proxy's answer without Flack's body (e.g. nginx's own 413 page). */
function statusError(status: number): ErrorBody {
  if (status === 413) return { code: 'TOO_LARGE', message: 'The file is larger than the server accepts.' };
  if (status === 0) return CLIENT_ERRORS.NETWORK as unknown as ErrorBody;
  return { code: 'INTERNAL', message: `The server answered ${status}. Please try again.` };
}
