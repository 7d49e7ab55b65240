import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { buildAsyncApiDocument, type JsonSchema } from './asyncapi.document.js';

/** The Socket.IO API as AsyncAPI 3.0, beside the OpenAPI document of the REST side (`/api/docs`). */
@ApiTags('docs')
@Controller()
export class AsyncApiController {
  private readonly document = buildAsyncApiDocument();

  @Get('asyncapi.json')
  @Header('Cache-Control', 'no-cache')
  @ApiOkResponse({
    description: 'The AsyncAPI 3.0 document of the Socket.IO API (events, acks, models, error codes)',
  })
  asyncApi(): JsonSchema {
    return this.document;
  }
}
