// The baseline: the least a raw Socket.IO 4.8 server must do to offer what Flack's benchmark
// exercises, with no framework and no validation library. Flack's figures are read against it.
//
// Same work as Flack on the measured path: claim a session over REST, check the token in the
// handshake, join the user's own room and channel rooms on connection, create and join channels
// with the same acks and broadcasts, and for each message check membership, stamp an id, seq and
// time, keep it in a 100-message ring per room, `io.to(room).emit('message:new', ...)` and ack
// `{ ok: true, data: message }`. Same transport settings as Flack (see FlackIoAdapter), connection
// state recovery included, with the same bound on the broadcasts kept for it (unless
// BASELINE_CONNECTION_STATE_RECOVERY=0, `--baseline-no-recovery`). What it leaves out on purpose:
// payload validation, name normalisation, rate limits, logging, deduplication of retried
// clientIds and security headers; that is the price the comparison puts a number on.
//
// Reactions (the reactions scenario): `message:react` / `message:unreact` check membership, find
// the message among the room's 100, add or take back the user under the emoji (a new message
// object, revision + 1, as Flack stores it), `io.to(room).emit('message:updated', ...)` when it
// changed, and ack it. Left out as above: the emoji check, the 20-emoji cap, rate limits.

import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { URL } from 'node:url';

// The very copy of Socket.IO that Flack runs (the one @nestjs/platform-socket.io instantiates).
const requireFromBackend = createRequire(new URL('../backend/package.json', import.meta.url));
const requireFromNestAdapter = createRequire(requireFromBackend.resolve('@nestjs/platform-socket.io'));
const { Server } = requireFromNestAdapter('socket.io');
const { SessionAwareAdapter } = createRequire(requireFromNestAdapter.resolve('socket.io'))(
  'socket.io-adapter',
);

/** As Flack's RecoveryBufferAdapter: the newest 10,000 broadcasts, trimmed in batches of 1,000. */
const RECOVERY_MAX_PACKETS = 10_000;
class RecoveryBufferAdapter extends SessionAwareAdapter {
  broadcast(packet, opts) {
    super.broadcast(packet, opts);
    if (this.packets.length > RECOVERY_MAX_PACKETS + 1000) {
      this.packets.splice(0, this.packets.length - RECOVERY_MAX_PACKETS);
    }
  }
}

const HISTORY_SIZE = 100;
const NAME_MAX_LENGTH = 32;

/** token → user */
const sessions = new Map();
const takenNames = new Set();
/** channel id → { id, name, createdAt, members: Set<userId>, ring, start, size, seq, count, lastMessageAt } */
const channels = new Map();
/** user id → Set<channel id>, in join order */
const channelsByUser = new Map();

const userRoom = (userId) => `user:${userId}`;
const channelRoom = (channelId) => `channel:${channelId}`;

const ok = (data) => ({ ok: true, data });
const fail = (code, message) => ({ ok: false, error: { code, message } });

function toChannel(channel) {
  return {
    id: channel.id,
    name: channel.name,
    members: channel.members.size,
    messages: Math.min(channel.count, HISTORY_SIZE),
    createdAt: channel.createdAt,
    lastMessageAt: channel.lastMessageAt,
  };
}

function recent(channel) {
  const messages = [];
  for (let i = 0; i < channel.size; i++) messages.push(channel.ring[(channel.start + i) % HISTORY_SIZE]);
  return messages;
}

function pushToRing(channel, message) {
  if (channel.size < HISTORY_SIZE) {
    channel.ring[(channel.start + channel.size++) % HISTORY_SIZE] = message;
  } else {
    channel.ring[channel.start] = message;
    channel.start = (channel.start + 1) % HISTORY_SIZE;
  }
}

/** Where the message with this id sits in the room's ring, newest first; -1 if it is not there. */
function findInRing(channel, id) {
  for (let i = channel.size - 1; i >= 0; i--) {
    const index = (channel.start + i) % HISTORY_SIZE;
    if (channel.ring[index].id === id) return index;
  }
  return -1;
}

/** Adds the member; true if they were not one already. */
function addMember(channel, userId) {
  if (channel.members.has(userId)) return false;
  channel.members.add(userId);
  let joined = channelsByUser.get(userId);
  if (!joined) channelsByUser.set(userId, (joined = new Set()));
  joined.add(channel.id);
  return true;
}

function sendJson(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

function claimSession(req, res) {
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', () => {
    let name;
    try {
      name = JSON.parse(raw).name;
    } catch {
      return sendJson(res, 400, { code: 'INVALID', message: 'Body must be JSON.' });
    }
    if (typeof name !== 'string' || name.trim().length === 0 || name.trim().length > NAME_MAX_LENGTH) {
      return sendJson(res, 400, { code: 'INVALID', message: 'Display name must be 1 to 32 characters.' });
    }
    const display = name.trim();
    const key = display.toLowerCase();
    if (takenNames.has(key))
      return sendJson(res, 409, { code: 'NAME_TAKEN', message: 'That name is taken.' });
    takenNames.add(key);
    const token = randomBytes(32).toString('base64url');
    const user = { id: randomUUID(), name: display };
    sessions.set(token, user);
    sendJson(res, 201, { token, user });
  });
}

function listChannels() {
  return [...channels.values()].map(toChannel).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const httpServer = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/api/sessions') return claimSession(req, res);
  if (req.method === 'GET' && req.url === '/api/channels') return sendJson(res, 200, listChannels());
  sendJson(res, 404, { code: 'NOT_FOUND', message: 'Not found.' });
});

const io = new Server(httpServer, {
  path: '/socket.io',
  maxHttpBufferSize: 64 * 1024,
  perMessageDeflate: false,
  serveClient: false,
  cors: undefined,
  // On, as in Flack: every broadcast carries an offset and is kept for replay. Off with
  // `--baseline-no-recovery`, which prices the option separately.
  ...(process.env.BASELINE_CONNECTION_STATE_RECOVERY === '0'
    ? {}
    : {
        adapter: RecoveryBufferAdapter,
        connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
      }),
});

io.use((socket, next) => {
  const user = sessions.get(socket.handshake.auth?.token);
  if (!user) {
    const error = new Error('Your session has ended. Please sign in again.');
    error.data = { code: 'SESSION_UNKNOWN' };
    return next(error);
  }
  socket.data.user = user;
  next();
});

io.on('connection', (socket) => {
  const { user } = socket.data;
  socket.join([userRoom(user.id), ...[...(channelsByUser.get(user.id) ?? [])].map(channelRoom)]);

  socket.on('channel:create', (payload, ack) => {
    const name = String(payload?.name ?? '').trim();
    const id = name.toLowerCase();
    if (!name) return ack(fail('INVALID', 'Channel name must not be empty.'));
    if (channels.has(id)) return ack(fail('CHANNEL_EXISTS', `A channel named "${name}" already exists.`));
    const channel = {
      id,
      name,
      createdAt: new Date().toISOString(),
      members: new Set(),
      ring: new Array(HISTORY_SIZE),
      start: 0,
      size: 0,
      seq: 0,
      count: 0,
      lastMessageAt: null,
    };
    channels.set(id, channel);
    addMember(channel, user.id);
    io.in(userRoom(user.id)).socketsJoin(channelRoom(id));
    const listed = toChannel(channel);
    io.emit('channel:created', listed);
    io.to(userRoom(user.id)).emit('channel:joined', listed);
    ack(ok({ channel: listed, messages: [] }));
  });

  socket.on('channel:join', (payload, ack) => {
    const channel = channels.get(
      String(payload?.channel ?? '')
        .trim()
        .toLowerCase(),
    );
    if (!channel) return ack(fail('NOT_FOUND', 'There is no channel with that name.'));
    if (addMember(channel, user.id)) {
      io.in(userRoom(user.id)).socketsJoin(channelRoom(channel.id));
      io.to(userRoom(user.id)).emit('channel:joined', toChannel(channel));
    }
    ack(ok({ channel: toChannel(channel), messages: recent(channel) }));
  });

  socket.on('message:send', (payload, ack) => {
    const channel = channels.get(payload?.channel);
    if (!channel || !channel.members.has(user.id)) {
      return ack(fail('NOT_A_MEMBER', 'You are not a member of that channel.'));
    }
    const message = {
      id: randomUUID(),
      channel: channel.id,
      seq: ++channel.seq,
      author: user,
      text: payload.text,
      createdAt: new Date().toISOString(),
      clientId: payload.clientId,
    };
    pushToRing(channel, message);
    channel.count++;
    channel.lastMessageAt = message.createdAt;
    io.to(channelRoom(channel.id)).emit('message:new', message);
    // As Flack answers: only what the sender did not know (its tabs get the message as message:new).
    ack(ok({ id: message.id, seq: message.seq, createdAt: message.createdAt }));
  });

  const react = (add) => (payload, ack) => {
    const channel = channels.get(payload?.channel);
    if (!channel || !channel.members.has(user.id)) {
      return ack(fail('NOT_A_MEMBER', 'You are not a member of that channel.'));
    }
    const index = findInRing(channel, payload.id);
    if (index < 0) return ack(fail('NOT_FOUND', 'That message is no longer in the history.'));
    const message = channel.ring[index];
    const reactions = message.reactions ?? [];
    const at = reactions.findIndex((reaction) => reaction.emoji === payload.emoji);
    const listed = at >= 0 && reactions[at].users.some((someone) => someone.id === user.id);
    if (add === listed) return ack(ok(message));
    let next;
    if (add && at >= 0) {
      next = reactions.map((reaction, i) =>
        i === at ? { emoji: reaction.emoji, users: [...reaction.users, user] } : reaction,
      );
    } else if (add) {
      next = [...reactions, { emoji: payload.emoji, users: [user] }];
    } else {
      const users = reactions[at].users.filter((someone) => someone.id !== user.id);
      next = users.length
        ? reactions.map((reaction, i) => (i === at ? { emoji: reaction.emoji, users } : reaction))
        : reactions.filter((_, i) => i !== at);
    }
    const changed = { ...message, revision: (message.revision ?? 0) + 1, reactions: next };
    if (next.length === 0) delete changed.reactions;
    channel.ring[index] = changed;
    io.to(channelRoom(channel.id)).emit('message:updated', changed);
    ack(ok(changed));
  };
  socket.on('message:react', react(true));
  socket.on('message:unreact', react(false));
});

httpServer.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
