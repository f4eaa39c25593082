// The signaling connection: joins, resumes after drops (on the next URL), de-duplicates replayed messages.
import { Emitter } from './emitter.js';

/** Close codes after which reconnecting cannot help (see the README's error table). */
const FATAL_CLOSE_CODES = new Set([4000, 4001, 4003, 4004, 4009, 4029, 1007, 1008]);
export const PROTOCOL_VERSION = 2;

function seqCompare(a, b) {
  if (!a) return b ? -1 : 0;
  if (!b) return 1;
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : (as < bs ? -1 : 1);
}

export class Signaling extends Emitter {
  constructor({ urls, room, token, simulcast }) {
    super();
    this.simulcast = !!simulcast;
    this.urls = urls;
    this.room = room;
    this.token = token;
    this.urlIndex = 0;
    this.sessionId = null;
    this.lastSeq = null;
    this.queue = [];
    this.joined = false;
    this.stopped = false;
    this.attempt = 0;
  }

  start() { this.connect(); }

  connect() {
    if (this.stopped) return;
    const url = this.urls[this.urlIndex % this.urls.length];
    const ws = new WebSocket(url);
    this.ws = ws;
    this.joined = false;
    ws.onopen = () => {
      const join = { type: 'join', v: PROTOCOL_VERSION, room: this.room, token: this.token, simulcast: this.simulcast };
      if (this.sessionId) join.resume = { sessionId: this.sessionId, lastSeq: this.lastSeq };
      ws.send(JSON.stringify(join));
    };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      this.receive(msg);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.joined = false;
      if (this.stopped) return;
      this.emit('state', { state: 'disconnected', code: ev.code, reason: ev.reason });
      if (FATAL_CLOSE_CODES.has(ev.code)) {
        this.stopped = true;
        this.emit('closed', { code: ev.code, reason: ev.reason });
        return;
      }
      // Another replica (or the same ingress) will take us; resume there.
      this.urlIndex++;
      const delay = Math.min(3000, 100 * 2 ** Math.min(this.attempt++, 5));
      setTimeout(() => this.connect(), delay);
    };
  }

  receive(msg) {
    if (msg.seq) {
      if (seqCompare(msg.seq, this.lastSeq) <= 0) return; // replayed twice: already handled
      this.lastSeq = msg.seq;
    }
    if (msg.type === 'joined') {
      if (msg.sessionId !== this.sessionId) this.lastSeq = null;
      this.sessionId = msg.sessionId;
      this.joined = true;
      this.attempt = 0;
      this.emit('state', { state: 'connected', resumed: msg.resumed });
      const pending = this.queue.splice(0);
      this.emit('message', msg);
      pending.forEach((m) => this.send(m));
      return;
    }
    this.emit('message', msg);
  }

  send(msg) {
    if (this.stopped) return;
    if (this.joined && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(msg));
    } else {
      this.queue.push(msg); // sent after the (re)join
    }
  }

  /** Sends raw text, for tests of the server's input handling. */
  sendRaw(text) { this.ws.send(text); }

  /** Leaves cleanly: the server frees the seat at once and tells the others. */
  stop() {
    this.stopped = true;
    this.queue.length = 0;
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      if (this.joined) this.ws.send(JSON.stringify({ type: 'leave' }));
      this.ws.close(1000, 'left');
    } else if (this.ws && this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.onopen = () => this.ws.close(1000, 'left');
    }
    this.emit('state', { state: 'left' });
  }
}
