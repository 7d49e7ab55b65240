import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { FILES_PATH, isInlineImageType, type FileLimits, type UploadResponse } from '@flack/contract';
import type { Request, Response } from 'express';
import { AppError } from '../common/app-error.js';
import type { FileVariant } from './files.repository.js';
import { FilesService } from './files.service.js';
import { contentDisposition } from './content-disposition.js';
import { FILES_COOKIE, FileSessions } from './file-sessions.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const signIn = () =>
  new AppError(
    'UNAUTHENTICATED',
    'Sign in first: send the session token as "Authorization: Bearer <token>".',
  );

/**
 * Headers of every file response: never sniffed into something else, never run as a page (opened
 * on its own, a file is a sandboxed document that may load nothing), kept in the person's own
 * cache only and revalidated each time (access may end: a left channel, a deleted message), and
 * not embeddable by other sites.
 */
const FILE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Cache-Control': 'private, no-cache',
  'Cross-Origin-Resource-Policy': 'same-origin',
  Vary: 'Authorization, Cookie',
};

@ApiTags('files')
@Controller('files')
export class FilesController {
  constructor(
    private readonly files: FilesService,
    private readonly sessions: FileSessions,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Upload one file',
    description:
      "The raw bytes are the body (any Content-Type; the type is detected from the bytes). Attach the answer's `id` with `message:send { files: [id] }` within FILE_UNREFERENCED_TTL_MS.",
  })
  @ApiHeader({ name: 'Authorization', description: 'Bearer <session token>', required: true })
  @ApiQuery({ name: 'name', description: 'The file name (percent-encoded); or the X-File-Name header' })
  @ApiCreatedResponse({ description: 'FileInfo { id, name, type, size, image? }' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  @ApiPayloadTooLargeResponse({ description: 'TOO_LARGE, QUOTA_EXCEEDED' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED' })
  async upload(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Query('name') queryName?: unknown,
  ): Promise<UploadResponse> {
    try {
      const user = await this.sessions.byHeader(request);
      if (!user) throw signIn();
      return await this.files.upload(user, request, fileNameOf(queryName, request.headers['x-file-name']));
    } catch (error) {
      // Refused before the whole body arrived: answer, then close rather than read the rest.
      if (!request.complete) response.setHeader('Connection', 'close');
      throw error;
    }
  }

  @Post('access')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Let images load: sets the flack_files cookie',
    description:
      'An <img> cannot send the Authorization header. This sets an HttpOnly, SameSite=Strict cookie for /api/files with the session, which GET /api/files/:id accepts too.',
  })
  @ApiNoContentResponse({ description: 'Cookie set' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  async grantAccess(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    if (!(await this.sessions.byHeader(request))) throw signIn();
    response.setHeader('Set-Cookie', cookie(FileSessions.bearer(request)!, request.secure));
  }

  @Delete('access')
  @HttpCode(204)
  @ApiOperation({ summary: 'Forget the flack_files cookie (signing out)' })
  revokeAccess(@Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    response.setHeader('Set-Cookie', cookie('', request.secure, 0));
  }

  // Before ':id', which would take 'limits' for a file id.
  @Get('limits')
  @ApiOperation({
    summary: "This server's file limits, and what the person has stored",
    description:
      'FileLimits { maxFileBytes, filesPerMessage, quotaBytes, usedBytes }. No caching: usage changes.',
  })
  @ApiHeader({ name: 'Authorization', description: 'Bearer <session token>', required: true })
  @ApiOkResponse({ description: 'FileLimits' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  async limits(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<FileLimits> {
    const user = await this.sessions.byHeader(request);
    if (!user) throw signIn();
    response.setHeader('Cache-Control', 'no-store');
    return this.files.limitsFor(user.id);
  }

  @Get(':id')
  @ApiOperation({ summary: "A file, to its channel's members (or its uploader before it is sent)" })
  @ApiOkResponse({ description: 'The bytes' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such file, not shared with you, or no session' })
  download(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.serve(id, 'content', request, response);
  }

  @Get(':id/thumbnail')
  @ApiOperation({ summary: "An image's thumbnail (at most 480 px a side); other files have none" })
  @ApiOkResponse({ description: 'The bytes' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND' })
  thumbnail(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.serve(id, 'thumbnail', request, response);
  }

  private async serve(id: string, variant: FileVariant, request: Request, response: Response): Promise<void> {
    const user = UUID.test(id) ? await this.sessions.byHeaderOrCookie(request) : undefined;
    const etag = `"${id}-${variant}"`;
    if (request.headers['if-none-match'] === etag && (await this.files.mayOpen(user, id))) {
      response.writeHead(304, { ...FILE_HEADERS, ETag: etag });
      response.end();
      return;
    }
    const { info, bytes } = await this.files.open(user, id, variant);
    const inline = isInlineImageType(info.type);
    response.writeHead(200, {
      ...FILE_HEADERS,
      'Content-Type': inline ? info.type : 'application/octet-stream',
      'Content-Length': bytes.length,
      'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', info.name),
      ETag: etag,
    });
    if (request.method === 'HEAD') return void response.end();
    try {
      // One piece at a time, each once the client has taken the one before.
      for await (const piece of bytes.pieces) {
        if (!response.write(piece)) await drained(response);
      }
      response.end();
    } catch {
      // Headers are sent: a file gone (or a client gone) mid-way can only end the connection.
      response.destroy();
    }
  }
}

/** The name from `?name=` (Express decodes it) or `X-File-Name` (percent-encoded UTF-8). */
function fileNameOf(query: unknown, header: string | string[] | undefined): string | undefined {
  if (typeof query === 'string') return query;
  if (typeof header !== 'string') return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    throw new AppError('INVALID', 'X-File-Name must be percent-encoded UTF-8 (encodeURIComponent).');
  }
}

/** Resolves once the response can take more; fails if the client goes first (so nothing waits forever). */
function drained(response: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      response.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      response.off('drain', onDrain);
      reject(new Error('The client went away during the download.'));
    };
    response.once('drain', onDrain);
    response.once('close', onClose);
  });
}

function cookie(value: string, secure: boolean, maxAgeSeconds?: number): string {
  return [
    `${FILES_COOKIE}=${value}`,
    `Path=${FILES_PATH}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
    ...(maxAgeSeconds !== undefined ? [`Max-Age=${maxAgeSeconds}`] : []),
  ].join('; ');
}
