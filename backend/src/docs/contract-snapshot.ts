// Generated from contract/src by backend/test/support/read-contract.ts: do not edit by hand.
// After changing the contract, regenerate it (the AsyncAPI spec fails until you do):
//   FLACK_WRITE_CONTRACT_SNAPSHOT=1 node --experimental-vm-modules node_modules/jest/bin/jest.js \
//     --selectProjects backend --testPathPatterns asyncapi.document
import type { ContractSnapshot } from './asyncapi.document.js';

export const CONTRACT_SNAPSHOT: ContractSnapshot = {
  schemas: {
    Channel: {
      type: 'object',
      properties: {
        id: {
          type: 'string',
          description: 'Canonical key: the name trimmed, NFKC-normalised and case-folded. Unique.',
        },
        name: { type: 'string', description: 'The name as its creator typed it (trimmed, NFKC-normalised).' },
        members: { type: 'number', description: 'How many users have joined it.' },
        messages: {
          type: 'number',
          description: 'How many messages are stored (at most LIMITS.historySize).',
        },
        createdAt: { type: 'string', description: 'ISO 8601 UTC.' },
        lastMessageAt: {
          type: ['string', 'null'],
          description: 'ISO 8601 UTC, or null before the first message.',
        },
        dm: {
          type: 'array',
          items: { $ref: '#/components/schemas/User' },
          description:
            'Set for a direct conversation: its two people. Only they can see it, and it is never listed to anyone else; `name` is their names.',
        },
        topic: {
          type: 'string',
          description:
            'What the channel is about, set by any member; absent when none. Same text rules as a message.',
        },
      },
      required: ['id', 'name', 'members', 'messages', 'createdAt', 'lastMessageAt'],
      additionalProperties: false,
      description: 'A channel as listed: `GET /api/channels`, `channel:list`, `channel:created`.',
    },
    ChannelRef: {
      type: 'object',
      properties: {
        channel: { type: 'string', description: 'A channel name or id; both are normalised the same way.' },
      },
      required: ['channel'],
      additionalProperties: false,
      description: "Payloads of client events. The backend's DTO classes implement these.",
    },
    ChannelWithHistory: {
      type: 'object',
      properties: {
        channel: { $ref: '#/components/schemas/Channel' },
        messages: { type: 'array', items: { $ref: '#/components/schemas/Message' } },
      },
      required: ['channel', 'messages'],
      additionalProperties: false,
      description: 'A channel opened by its member: the listing plus its stored history, oldest first.',
    },
    ClaimNameRequest: {
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
      additionalProperties: false,
      description: '`POST /api/sessions` body.',
    },
    ClaimNameResponse: {
      type: 'object',
      properties: { token: { type: 'string' }, user: { $ref: '#/components/schemas/User' } },
      required: ['token', 'user'],
      additionalProperties: false,
      description: '`POST /api/sessions` answer. Keep the token secret: it is the only proof of identity.',
    },
    CreateChannelPayload: {
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
      additionalProperties: false,
    },
    EditMessagePayload: {
      type: 'object',
      properties: {
        channel: { type: 'string' },
        id: { type: 'string', description: "The message's `id`." },
        text: { type: 'string' },
      },
      required: ['channel', 'id', 'text'],
      additionalProperties: false,
    },
    ErrorBody: {
      type: 'object',
      properties: {
        code: { $ref: '#/components/schemas/ErrorCode' },
        message: { type: 'string', description: 'A sentence a person can read.' },
        details: {
          type: 'object',
          additionalProperties: { type: 'array', items: { type: 'string' } },
          description: "For INVALID: messages per field, e.g. `{ name: ['name must not be empty'] }`.",
        },
        retryAfterMs: {
          type: 'number',
          description: 'For RATE_LIMITED: how long to wait before trying again.',
        },
      },
      required: ['code', 'message'],
      additionalProperties: false,
    },
    ErrorCode: {
      type: 'string',
      enum: [
        'INVALID',
        'NAME_TAKEN',
        'CHANNEL_EXISTS',
        'NOT_FOUND',
        'NOT_A_MEMBER',
        'FORBIDDEN',
        'RATE_LIMITED',
        'UNAUTHENTICATED',
        'INTERNAL',
        'UNAVAILABLE',
        'TOO_LARGE',
        'UNSUPPORTED_MEDIA_TYPE',
        'QUOTA_EXCEEDED',
      ],
    },
    FileInfo: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: {
          type: 'string',
          description: 'The file name as uploaded, for display only (shown as text, never used as a path).',
        },
        type: {
          type: 'string',
          description: 'Detected from the bytes by the server, never taken from the client.',
        },
        size: { type: 'number', description: 'In bytes.' },
        image: {
          type: 'object',
          properties: { width: { type: 'number' }, height: { type: 'number' } },
          required: ['width', 'height'],
          additionalProperties: false,
          description:
            'Set for images shown inline (PNG, JPEG, GIF, WebP): their size in pixels, known before loading.',
        },
      },
      required: ['id', 'name', 'type', 'size'],
      additionalProperties: false,
      description:
        'A file attached to a message (see `POST /api/files`). Served at `/api/files/:id` to members only.',
    },
    HandshakeErrorCode: { type: 'string', enum: ['TOKEN_MISSING', 'SESSION_UNKNOWN', 'ORIGIN_FORBIDDEN'] },
    HandshakeErrorData: {
      type: 'object',
      properties: { code: { $ref: '#/components/schemas/HandshakeErrorCode' } },
      required: ['code'],
      additionalProperties: false,
    },
    HistoryPage: {
      type: 'object',
      properties: {
        messages: { type: 'array', items: { $ref: '#/components/schemas/Message' } },
        truncated: {
          type: 'boolean',
          description:
            'True when messages after `afterSeq` were evicted before they could be sent: the client should replace its view with `messages` rather than append them.',
        },
      },
      required: ['messages', 'truncated'],
      additionalProperties: false,
    },
    HistoryPayload: {
      type: 'object',
      properties: {
        channel: { type: 'string' },
        afterSeq: {
          type: 'number',
          description: 'Only messages with a larger `seq`; omit for the whole stored history.',
        },
      },
      required: ['channel'],
      additionalProperties: false,
    },
    MembershipChange: {
      type: 'object',
      properties: {
        channel: { type: 'string' },
        user: { $ref: '#/components/schemas/User' },
        joined: { type: 'boolean' },
      },
      required: ['channel', 'user', 'joined'],
      additionalProperties: false,
      description: 'Someone joined or left a channel; sent to its members.',
    },
    Message: {
      type: 'object',
      properties: {
        id: { type: 'string', description: 'Unique across the server.' },
        channel: { type: 'string', description: 'Channel id this message belongs to.' },
        seq: {
          type: 'number',
          description:
            'Position in the channel, increasing by one per message; used to catch up after a reconnect.',
        },
        author: {
          $ref: '#/components/schemas/User',
          description: "Taken from the sender's session, never from the payload.",
        },
        text: { type: 'string' },
        createdAt: { type: 'string', description: 'Server clock, ISO 8601 UTC.' },
        clientId: {
          type: 'string',
          description: "The sender's idempotency key (a UUID): a retry with the same key is stored once.",
        },
        editedAt: {
          type: 'string',
          description: 'When the author last changed the text (ISO 8601 UTC); absent if never.',
        },
        deletedAt: {
          type: 'string',
          description:
            'When the author deleted it (ISO 8601 UTC). The text is gone (empty) and clients hide the message; it keeps its `seq`, so a client catching up sees no gap.',
        },
        revision: {
          type: 'number',
          description:
            'How many times the stored message has changed (edit, deletion, reaction); absent for 0. Of two copies of one message, the larger revision is the newer, whatever order they arrived in.',
        },
        reactions: {
          type: 'array',
          items: { $ref: '#/components/schemas/Reaction' },
          description:
            'Reactions in the order each emoji was first chosen; absent when none. Dropped on deletion.',
        },
        replyTo: {
          $ref: '#/components/schemas/ReplyPreview',
          description: 'Set when the message answers another one of the same channel.',
        },
        files: {
          type: 'array',
          items: { $ref: '#/components/schemas/FileInfo' },
          description: 'Files attached when it was sent; absent when none. Deleted with the message.',
        },
      },
      required: ['id', 'channel', 'seq', 'author', 'text', 'createdAt', 'clientId'],
      additionalProperties: false,
    },
    MessageRef: {
      type: 'object',
      properties: { channel: { type: 'string' }, id: { type: 'string', description: "The message's `id`." } },
      required: ['channel', 'id'],
      additionalProperties: false,
    },
    OpenDmPayload: {
      type: 'object',
      properties: { userId: { type: 'string', description: "The other person's user id." } },
      required: ['userId'],
      additionalProperties: false,
    },
    PresenceChange: {
      type: 'object',
      properties: { user: { $ref: '#/components/schemas/User' }, online: { type: 'boolean' } },
      required: ['user', 'online'],
      additionalProperties: false,
      description: 'Someone came online (first tab) or went offline (last tab closed, after a grace period).',
    },
    Reaction: {
      type: 'object',
      properties: {
        emoji: {
          type: 'string',
          description:
            'A single emoji, as the server stores it (fully qualified, skin tone included when chosen).',
        },
        users: { type: 'array', items: { $ref: '#/components/schemas/User' } },
      },
      required: ['emoji', 'users'],
      additionalProperties: false,
      description:
        'One emoji on a message and who chose it, in the order they did. A person is in `users` once.',
    },
    ReactionPayload: {
      type: 'object',
      properties: {
        channel: { type: 'string' },
        id: { type: 'string', description: "The message's `id`." },
        emoji: {
          type: 'string',
          description:
            'One emoji (a single RGI emoji sequence, e.g. `👍🏽`); see `isEmoji` in contract/src/emoji.ts.',
        },
      },
      required: ['channel', 'emoji', 'id'],
      additionalProperties: false,
    },
    ReadPayload: {
      type: 'object',
      properties: {
        channel: { type: 'string' },
        seq: {
          type: 'number',
          description:
            'The newest `seq` the person has seen; a smaller one than already recorded changes nothing.',
        },
      },
      required: ['channel', 'seq'],
      additionalProperties: false,
    },
    ReadState: {
      type: 'object',
      properties: {
        channel: { type: 'string' },
        lastReadSeq: { type: 'number', description: 'The newest `seq` this user has read.' },
        unread: {
          type: 'number',
          description: 'Stored messages by others after `lastReadSeq`, not deleted.',
        },
        mentions: { type: 'number', description: 'How many of those mention the user (`@name`).' },
      },
      required: ['channel', 'lastReadSeq', 'unread', 'mentions'],
      additionalProperties: false,
      description:
        "One user's read position in one joined channel, kept on the server so every tab and device agrees.",
    },
    ReplyPreview: {
      type: 'object',
      properties: {
        id: {
          type: 'string',
          description: "The original's `id`, to jump to it while it is still in the history.",
        },
        seq: { type: 'number' },
        author: { $ref: '#/components/schemas/User' },
        excerpt: {
          type: 'string',
          description:
            "The original's first line, cut to LIMITS.replyExcerptLength graphemes (see `replyExcerpt`).",
        },
        deleted: {
          type: 'boolean',
          const: true,
          description: 'Set when the original was deleted: its excerpt is gone too (empty), as is its text.',
        },
      },
      required: ['id', 'seq', 'author', 'excerpt'],
      additionalProperties: false,
      description:
        'What a reply shows of the message it answers, taken by the server when the reply is sent.',
    },
    SearchHit: {
      type: 'object',
      properties: { message: { $ref: '#/components/schemas/Message' } },
      required: ['message'],
      additionalProperties: false,
      description: 'One message found by `message:search`.',
    },
    SearchPayload: {
      type: 'object',
      properties: {
        query: {
          type: 'string',
          description:
            'Words to find (all of them, case and accents aside), up to LIMITS.searchQueryMaxLength graphemes.',
        },
      },
      required: ['query'],
      additionalProperties: false,
    },
    SendMessagePayload: {
      type: 'object',
      properties: {
        channel: { type: 'string' },
        text: { type: 'string' },
        clientId: { type: 'string', description: 'A UUID chosen by the client; retries reuse it.' },
        replyTo: {
          type: 'string',
          description:
            'The `id` of the message of the same channel this one answers; it must still be in the history.',
        },
        files: {
          type: 'array',
          items: { type: 'string' },
          description:
            'Ids of files this person uploaded (`POST /api/files`) and has not attached yet, at most LIMITS.filesPerMessage. With files, `text` may be empty.',
        },
      },
      required: ['channel', 'text', 'clientId'],
      additionalProperties: false,
    },
    SessionSnapshot: {
      type: 'object',
      properties: {
        user: { $ref: '#/components/schemas/User' },
        joined: {
          type: 'array',
          items: { type: 'string' },
          description: 'Ids of the channels this user has joined, in the order they were joined.',
        },
        lastChannel: {
          type: ['string', 'null'],
          description: 'The channel the user had open last, if it still exists and they are still a member.',
        },
        channels: {
          type: 'array',
          items: { $ref: '#/components/schemas/Channel' },
          description: 'Every channel on the server, sorted by name.',
        },
        online: {
          type: 'array',
          items: { $ref: '#/components/schemas/User' },
          description: 'Who is online, this user included.',
        },
        readStates: {
          type: 'array',
          items: { $ref: '#/components/schemas/ReadState' },
          description: 'The read position and unread counts of each joined channel.',
        },
      },
      required: ['user', 'joined', 'lastChannel', 'channels', 'online', 'readStates'],
      additionalProperties: false,
      description: 'What a connected client learns about itself, on request after every (re)connect.',
    },
    TopicPayload: {
      type: 'object',
      properties: {
        channel: { type: 'string' },
        topic: {
          type: 'string',
          description: 'Up to LIMITS.topicMaxLength graphemes; an empty (or blank) topic removes it.',
        },
      },
      required: ['channel', 'topic'],
      additionalProperties: false,
    },
    TypingState: {
      type: 'object',
      properties: {
        channel: { type: 'string' },
        users: { type: 'array', items: { $ref: '#/components/schemas/User' } },
      },
      required: ['channel', 'users'],
      additionalProperties: false,
      description: 'Who is typing in a channel right now; sent whenever that changes.',
    },
    User: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: {
          type: 'string',
          description: 'The display name as the person typed it (trimmed, NFKC-normalised).',
        },
      },
      required: ['id', 'name'],
      additionalProperties: false,
      description: 'A person, as every client sees them. The session token is never part of it.',
    },
  },
  errorCodes: {
    INVALID: '',
    NAME_TAKEN: '',
    CHANNEL_EXISTS: '',
    NOT_FOUND: '',
    NOT_A_MEMBER: '',
    FORBIDDEN: '',
    RATE_LIMITED: '',
    UNAUTHENTICATED: '',
    INTERNAL: '',
    UNAVAILABLE:
      'The shared store (Redis, when Flack runs as several instances) is out of reach for now; try again shortly.',
    TOO_LARGE: 'REST only: the request body is larger than the server accepts (HTTP 413).',
    UNSUPPORTED_MEDIA_TYPE:
      'REST only: a request that changes something must send its body as `application/json` (HTTP 415).',
    QUOTA_EXCEEDED:
      "A storage quota (the person's, or the server's total for files) is full; nothing was stored.",
  },
  handshakeErrorCodes: {
    TOKEN_MISSING: 'No token in `auth.token`.',
    SESSION_UNKNOWN:
      'The token is not a session the server knows (forged, revoked, expired, or the server restarted).',
    ORIGIN_FORBIDDEN: "The page's Origin is not allowed to connect.",
  },
  clientEvents: {
    'session:get': {
      description: 'Who am I, which channels have I joined, where was I.',
      ack: { $ref: '#/components/schemas/SessionSnapshot' },
    },
    'session:forget': {
      description: 'End the session for good: releases the name and disconnects every tab.',
      ack: { type: 'null' },
    },
    'channel:list': { ack: { type: 'array', items: { $ref: '#/components/schemas/Channel' } } },
    'channel:create': {
      description: 'Creates the channel and joins the creator to it.',
      ack: { $ref: '#/components/schemas/ChannelWithHistory' },
      payload: { $ref: '#/components/schemas/CreateChannelPayload' },
    },
    'channel:join': {
      description:
        'Joins (idempotent) and opens the channel: returns its history and remembers it as the last one.',
      ack: { $ref: '#/components/schemas/ChannelWithHistory' },
      payload: { $ref: '#/components/schemas/ChannelRef' },
    },
    'channel:leave': { ack: { type: 'null' }, payload: { $ref: '#/components/schemas/ChannelRef' } },
    'dm:open': {
      description:
        'Opens (creating on first use) the direct conversation with another user; both become its members and every tab of both gets `channel:joined`. Unknown user: NOT_FOUND.',
      ack: { $ref: '#/components/schemas/ChannelWithHistory' },
      payload: { $ref: '#/components/schemas/OpenDmPayload' },
    },
    'channel:history': {
      description: 'Members only: the stored history, or what came after `afterSeq`.',
      ack: { $ref: '#/components/schemas/HistoryPage' },
      payload: { $ref: '#/components/schemas/HistoryPayload' },
    },
    'message:send': {
      description:
        "Members only. Answers with the stored message's `id`, `seq` and `createdAt` (the same for a retry of the same `clientId`); the whole message comes to every member's tabs as `message:new` (again for a retry, unless the message has left the history).",
      ack: {
        type: 'object',
        properties: {
          id: { type: 'string', description: "The stored message's `id`." },
          seq: { type: 'number', description: 'Its position in the channel.' },
          createdAt: { type: 'string', description: 'Server clock, ISO 8601 UTC: the time the app shows.' },
        },
        required: ['id', 'seq', 'createdAt'],
        additionalProperties: false,
        description:
          "The answer to `message:send`: only what the sender did not know before sending. The whole message reaches every member, the sender's own tabs included, as `message:new` (again for a retry of the same `clientId` while the message is in the history; a retry of an older one gets only this), so the ack does not carry it a second time.",
      },
      payload: { $ref: '#/components/schemas/SendMessagePayload' },
    },
    'message:edit': {
      description: 'The author only. Answers with the changed message; members get `message:updated`.',
      ack: { $ref: '#/components/schemas/Message' },
      payload: { $ref: '#/components/schemas/EditMessagePayload' },
    },
    'message:delete': {
      description:
        'The author only; a second delete is NOT_FOUND. Answers with the tombstone (`deletedAt`, no text).',
      ack: { $ref: '#/components/schemas/Message' },
      payload: { $ref: '#/components/schemas/MessageRef' },
    },
    'message:react': {
      description:
        "Members only: adds this person's reaction (idempotent). Answers with the changed message; members get `message:updated`. A deleted or evicted message is NOT_FOUND; a 21st distinct emoji INVALID.",
      ack: { $ref: '#/components/schemas/Message' },
      payload: { $ref: '#/components/schemas/ReactionPayload' },
    },
    'message:unreact': {
      description:
        "Members only: takes this person's reaction away (idempotent); members get `message:updated`.",
      ack: { $ref: '#/components/schemas/Message' },
      payload: { $ref: '#/components/schemas/ReactionPayload' },
    },
    'message:search': {
      description:
        'Every message this person can read (their channels and DMs, the stored history) that contains all the words of the query, newest first, at most LIMITS.searchResults.',
      ack: { type: 'array', items: { $ref: '#/components/schemas/SearchHit' } },
      payload: { $ref: '#/components/schemas/SearchPayload' },
    },
    'channel:topic': {
      description:
        "Members only: sets (or, with an empty topic, clears) the channel's topic; everyone who sees the channel gets `channel:updated`.",
      ack: { $ref: '#/components/schemas/Channel' },
      payload: { $ref: '#/components/schemas/TopicPayload' },
    },
    'channel:read': {
      description:
        'Members only: marks the channel read up to `seq`; every tab of the user gets `channel:read`.',
      ack: { $ref: '#/components/schemas/ReadState' },
      payload: { $ref: '#/components/schemas/ReadPayload' },
    },
    'channel:members': {
      description: 'Members only: who is in the channel.',
      ack: { type: 'array', items: { $ref: '#/components/schemas/User' } },
      payload: { $ref: '#/components/schemas/ChannelRef' },
    },
    'typing:start': {
      description:
        'Members only: "I am typing" — repeat every few seconds while typing; it expires on its own.',
      ack: { type: 'null' },
      payload: { $ref: '#/components/schemas/ChannelRef' },
    },
    'typing:stop': {
      description: 'Members only: stopped typing (sent, or cleared the field).',
      ack: { type: 'null' },
      payload: { $ref: '#/components/schemas/ChannelRef' },
    },
  },
  serverEvents: {
    'channel:created': {
      description: 'To everyone: a channel was created.',
      payload: { $ref: '#/components/schemas/Channel' },
    },
    'message:new': {
      description: 'To the members of a channel.',
      payload: { $ref: '#/components/schemas/Message' },
    },
    'channel:updated': {
      description: 'To everyone who can see the channel (its two people, for a DM): its topic changed.',
      payload: { $ref: '#/components/schemas/Channel' },
    },
    'message:updated': {
      description:
        'To the members of a channel: a message was edited, deleted or reacted to (same `id` and `seq`, a larger `revision`).',
      payload: { $ref: '#/components/schemas/Message' },
    },
    'channel:read': {
      description: 'To every tab of the user: their read position in a channel moved.',
      payload: { $ref: '#/components/schemas/ReadState' },
    },
    'channel:membership': {
      description: 'To the members of a channel: someone joined or left it.',
      payload: { $ref: '#/components/schemas/MembershipChange' },
    },
    typing: {
      description: 'To the members of a channel: who is typing there now.',
      payload: { $ref: '#/components/schemas/TypingState' },
    },
    'presence:changed': {
      description:
        'To every socket that asked for the online list (`session:get`, which the app does on every connect): who came online or went offline, gathered over half a second (one user at most once, latest state), so a crowd connecting at once is a few broadcasts, not one per person.',
      payload: { type: 'array', items: { $ref: '#/components/schemas/PresenceChange' } },
    },
    'channel:joined': {
      description: 'To every tab of the user who joined, so other tabs follow along.',
      payload: { $ref: '#/components/schemas/Channel' },
    },
    'channel:left': {
      description: 'To every tab of the user who left.',
      payload: {
        type: 'object',
        properties: { channel: { type: 'string' } },
        required: ['channel'],
        additionalProperties: false,
      },
    },
    'channel:removed': {
      description:
        'To everyone: a channel was removed because nobody is a member any more (its last member left, or their name was released). Its name is free again.',
      payload: {
        type: 'object',
        properties: { channel: { type: 'string' } },
        required: ['channel'],
        additionalProperties: false,
      },
    },
    'session:ended': {
      description: 'To every tab of a session that was just ended; the server disconnects them next.',
    },
    'server:shutdown': {
      description:
        'To everyone: the server is shutting down (a deploy or restart). Clients keep reconnecting; if the server comes back without its memory, their token is unknown (`SESSION_UNKNOWN`).',
    },
  },
};
