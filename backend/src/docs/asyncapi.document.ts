import { API_PREFIX, SOCKET_PATH, type ErrorCode } from '@flack/contract';
import { CONTRACT_SNAPSHOT } from './contract-snapshot.js';

export type JsonSchema = { [keyword: string]: unknown };

/** One event as `contract/src/events.ts` declares it; `ack` is the `T` of `Ack<T>`. */
export interface EventSignature {
  description?: string;
  payload?: JsonSchema;
  ack?: JsonSchema;
}

/** What the AsyncAPI document is built from: `contract/src` as read by the TypeScript compiler. */
export interface ContractSnapshot {
  schemas: Record<string, JsonSchema>;
  /** `ERROR_CODES` and `HANDSHAKE_ERROR_CODES` with the JSDoc of each code ('' where it has none). */
  errorCodes: Record<string, string>;
  handshakeErrorCodes: Record<string, string>;
  clientEvents: Record<string, EventSignature>;
  serverEvents: Record<string, EventSignature>;
}

/** Same as `contract/package.json`; the AsyncAPI spec checks it. */
export const CONTRACT_VERSION = '0.1.0';

/**
 * What the codes that `contract/src/errors.ts` leaves without a comment mean (a comment there wins, and
 * the AsyncAPI spec then asks for the entry here to go). Every code needs one or the other.
 */
export const ERROR_CODE_MEANINGS: Partial<Record<ErrorCode, string>> = {
  INVALID:
    'A payload or body is malformed, too long, has unknown fields, or a name breaks the name rules; `details` lists messages per field.',
  NAME_TAKEN: 'The display name, or a case, width or look-alike variant of it, is held by a session.',
  CHANNEL_EXISTS: 'A channel with that name, or a case, width or look-alike variant of it, exists.',
  NOT_FOUND:
    "No such channel, message or user; someone else's direct conversation (answered exactly as one that does not exist); a message already deleted.",
  NOT_A_MEMBER: 'Reading, writing or leaving a channel you have not joined.',
  FORBIDDEN: "Editing or deleting another's message, leaving a direct conversation, a channel cap reached.",
  RATE_LIMITED: 'Too many requests; `retryAfterMs` says when to try again.',
  UNAUTHENTICATED: 'No valid session. Reserved: a refused handshake uses the handshake codes instead.',
  INTERNAL: 'A server fault; no details are sent, and the server carries on.',
};

/** Each code with its meaning: the contract's comment, else the entry above. */
export function codeMeanings(
  documented: Record<string, string>,
  fallback: Partial<Record<string, string>> = {},
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(documented).map(([code, doc]) => [code, doc || (fallback[code] ?? '')]),
  );
}

const CHANNEL = 'root';
const channelRef = { $ref: `#/channels/${CHANNEL}` };
const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** `channel:create` → `client.channel.create`: component keys allow only `[A-Za-z0-9._-]`. */
const keyOf = (side: 'client' | 'server', event: string): string => `${side}.${event.replaceAll(':', '.')}`;

/** `AckResponse<T>` of contract/src/events.ts. */
function ackResponse(data: JsonSchema): JsonSchema {
  return {
    oneOf: [
      {
        type: 'object',
        properties: { ok: { const: true }, data },
        required: ['ok', 'data'],
        additionalProperties: false,
      },
      {
        type: 'object',
        properties: { ok: { const: false }, error: schemaRef('ErrorBody') },
        required: ['ok', 'error'],
        additionalProperties: false,
      },
    ],
  };
}

/** Code enums keep their generated `enum` and gain what each value means. */
function withMeanings(schema: JsonSchema | undefined, meanings: Record<string, string>): JsonSchema {
  return { ...schema, 'x-enum-descriptions': meanings };
}

const list = (meanings: Record<string, string>): string =>
  Object.entries(meanings)
    .map(([code, meaning]) => `- \`${code}\`: ${meaning}`)
    .join('\n');

const description = (
  errors: Record<string, string>,
  handshake: Record<string, string>,
): string => `Flack's chat API: Socket.IO (protocol 5, Engine.IO 4) on the default namespace \`/\`, path \`${SOCKET_PATH}\`.
Generated from \`contract/src\` (events.ts, models.ts, errors.ts); where this document and the contract differ, the
contract wins. The REST side is OpenAPI at \`${API_PREFIX}/docs\` (JSON at \`${API_PREFIX}/docs-json\`).

**Connecting.** \`POST ${API_PREFIX}/sessions { "name": "..." }\` answers \`{ token, user }\` (\`ClaimNameResponse\`).
Connect a Socket.IO client to the same origin with \`auth: { token }\`; the token is the only proof of identity and no
payload ever names its sender. A refused handshake is a \`connect_error\` whose \`data.code\` is a
\`HandshakeErrorCode\`. After every (re)connect, ask \`session:get\` for the snapshot.

**Client events** are operations the server *receives*. Each is emitted with its payload (if any) and an ack
callback, and answered exactly once through the ack (the operation's reply) with \`AckResponse<T>\`:
\`{ ok: true, data }\` or \`{ ok: false, error: ErrorBody }\`. Every handler does its whole job whether or not the
client passed an ack callback.

**Server events** are operations the server *sends*; each carries the one argument described, or none.
Connection-state recovery is on: **every broadcast carries one more trailing argument, the recovery offset (a
string)**. Socket.IO's JavaScript client strips it; other clients (python-socketio, for one) pass it to the
handler, so a handler must accept and ignore an extra argument (docs/protocol.md has a python-socketio example).

Error codes (\`ErrorBody.code\`):
${list(errors)}

Handshake codes (\`connect_error\` \`data.code\`):
${list(handshake)}`;

/** The AsyncAPI 3.0 document of Flack's Socket.IO API. */
export function buildAsyncApiDocument(contract: ContractSnapshot = CONTRACT_SNAPSHOT): JsonSchema {
  const errorCodes = codeMeanings(contract.errorCodes, ERROR_CODE_MEANINGS);
  const handshakeErrorCodes = codeMeanings(contract.handshakeErrorCodes);
  const messages: Record<string, JsonSchema> = {};
  const operations: Record<string, JsonSchema> = {};
  const messageRef = (key: string): JsonSchema => ({ $ref: `#/channels/${CHANNEL}/messages/${key}` });

  /** A client event is received and answered through its ack (the reply); a server event is sent. */
  const addEvent = (
    side: 'client' | 'server',
    event: string,
    { description, payload, ack }: EventSignature,
  ): void => {
    const key = keyOf(side, event);
    const summary = description ? { summary: description } : {};
    const noArgument =
      side === 'client' ? 'Emitted with no argument but the ack callback.' : 'Emitted with no argument.';
    messages[key] = {
      name: event,
      title: event,
      ...summary,
      ...(payload ? { payload } : { description: noArgument }),
    };
    const operation: JsonSchema = {
      action: side === 'client' ? 'receive' : 'send',
      channel: channelRef,
      title: event,
      ...summary,
      messages: [messageRef(key)],
    };
    if (side === 'client') {
      messages[`${key}.ack`] = {
        name: event,
        title: `${event} ack`,
        summary: `The acknowledgement of \`${event}\`.`,
        payload: ackResponse(ack ?? { type: 'null' }),
      };
      operation['reply'] = { channel: channelRef, messages: [messageRef(`${key}.ack`)] };
    }
    operations[key] = operation;
  };
  for (const [event, signature] of Object.entries(contract.clientEvents))
    addEvent('client', event, signature);
  for (const [event, signature] of Object.entries(contract.serverEvents))
    addEvent('server', event, signature);
  const connectError = keyOf('server', 'connect_error');
  messages[connectError] = {
    name: 'connect_error',
    title: 'connect_error',
    summary: 'The handshake was refused (a CONNECT_ERROR packet, not an event); no socket is created.',
    description:
      '`message` is a sentence for a person; `data.code` says why. Without `data`, the server could not check the session (its store is out of reach): try again.',
    payload: {
      type: 'object',
      properties: { message: { type: 'string' }, data: schemaRef('HandshakeErrorData') },
      required: ['message'],
      additionalProperties: false,
    },
  };
  operations[connectError] = {
    action: 'send',
    channel: channelRef,
    title: 'connect_error',
    summary: 'Refuses a handshake.',
    messages: [messageRef(connectError)],
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Flack',
      version: CONTRACT_VERSION,
      description: description(errorCodes, handshakeErrorCodes),
      license: { name: 'MIT' },
    },
    defaultContentType: 'application/json',
    servers: {
      flack: {
        host: '{host}',
        protocol: 'ws',
        protocolVersion: '5',
        pathname: SOCKET_PATH,
        title: 'Flack',
        description:
          'The Flack server itself (one origin serves the app, REST and Socket.IO). Use a Socket.IO client: the WebSocket carries Engine.IO and Socket.IO packets, not bare JSON. The app uses the WebSocket transport only; HTTP long-polling works too.',
        variables: {
          host: { default: 'localhost:3000', description: 'The host and port Flack is served on.' },
        },
        security: [{ $ref: '#/components/securitySchemes/sessionToken' }],
      },
    },
    channels: {
      [CHANNEL]: {
        address: '/',
        title: 'Default namespace',
        description:
          'Every event travels on the default namespace. Each channel is a Socket.IO room of its members, and every socket of a user is in a room of its own, which is how "every tab of the user" is reached.',
        servers: [{ $ref: '#/servers/flack' }],
        messages: Object.fromEntries(
          Object.keys(messages).map((key) => [key, { $ref: `#/components/messages/${key}` }]),
        ),
      },
    },
    operations,
    components: {
      schemas: {
        ...contract.schemas,
        ErrorCode: withMeanings(contract.schemas['ErrorCode'], errorCodes),
        HandshakeErrorCode: withMeanings(contract.schemas['HandshakeErrorCode'], handshakeErrorCodes),
        HandshakeAuth: {
          type: 'object',
          description: "The Socket.IO handshake `auth` object (the CONNECT packet's payload).",
          properties: {
            token: { type: 'string', description: `\`token\` of \`POST ${API_PREFIX}/sessions\`.` },
          },
          required: ['token'],
          additionalProperties: false,
        },
      },
      messages,
      securitySchemes: {
        sessionToken: {
          type: 'apiKey',
          in: 'user',
          description: `The session token of \`POST ${API_PREFIX}/sessions\`, sent in the Socket.IO handshake as \`auth: { token }\` (schema \`HandshakeAuth\`), not in a header, cookie or query. An unknown or missing token is refused with \`connect_error\`.`,
        },
      },
    },
  };
}
