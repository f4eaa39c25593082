// webrtc-cluster browser SDK, protocol v1. Plain ES module, no dependencies.
//
//   import { Room } from '/sdk/v1/webrtc-cluster.js';
//   const room = new Room({ room: 'standup', token, urls: ['wss://rtc.example.com/v1/signal'] });
//   room.on('track', ({ peerId, stream }) => ...);
//   await room.join(await navigator.mediaDevices.getUserMedia({ video: true, audio: true }));
//
// Mesh rooms use the "perfect negotiation" pattern (either side may offer; the polite side yields on
// glare), restart ICE when a connection fails, and survive signaling reconnects: the SDK resumes its
// session on any replica and the server replays what it missed, so peers never notice.

const FATAL_CLOSE_CODES = new Set([4000, 4001, 4003, 4004, 4009, 1008]);
const PROTOCOL_VERSION = 1;

function seqCompare(a, b) {
  if (!a) return b ? -1 : 0;
  if (!b) return 1;
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : (as < bs ? -1 : 1);
}

class Emitter {
  constructor() { this.handlers = new Map(); }
  on(event, fn) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(fn);
    return () => this.handlers.get(event).delete(fn);
  }
  emit(event, data) {
    for (const fn of this.handlers.get(event) || []) {
      try { fn(data); } catch (e) { console.error('handler for', event, 'failed', e); }
    }
  }
}

/** The signaling connection: joins, resumes after drops (on the next URL), de-duplicates replayed messages. */
class Signaling extends Emitter {
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
    ws.onmessage = (ev) => this.receive(JSON.parse(ev.data));
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.joined = false;
      this.emit('state', { state: 'disconnected', code: ev.code, reason: ev.reason });
      if (this.stopped) return;
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
    if (this.joined && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(msg));
    } else {
      this.queue.push(msg); // sent after the (re)join
    }
  }

  /** Sends raw text, for tests of the server's input handling. */
  sendRaw(text) { this.ws.send(text); }

  stop() {
    this.stopped = true;
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify({ type: 'leave' }));
      this.ws.close(1000, 'left');
    }
  }
}

/** One mesh peer: an RTCPeerConnection negotiated with perfect negotiation. */
class MeshPeer {
  constructor(room, id, name) {
    this.room = room;
    this.id = id;
    this.name = name;
    this.polite = room.selfId > id;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.chain = Promise.resolve();
    this.stream = new MediaStream();
    this.createdAt = performance.now();
    this.pc = new RTCPeerConnection({ iceServers: room.iceServers, iceTransportPolicy: room.iceTransportPolicy });
    const pc = this.pc;
    for (const track of room.localStream ? room.localStream.getTracks() : []) {
      pc.addTrack(track, room.localStream);
    }
    pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        room.signaling.send({ type: 'offer', to: id, sdp: pc.localDescription.sdp });
      } catch (e) {
        room.emit('error', { peerId: id, message: 'offer failed: ' + e });
      } finally {
        this.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      room.signaling.send({ type: 'ice-candidate', to: id, candidate: candidate ? candidate.toJSON() : null });
    };
    pc.ontrack = ({ track }) => {
      this.stream.addTrack(track);
      room.emit('track', { peerId: id, track, stream: this.stream });
    };
    pc.onconnectionstatechange = () => {
      room.emit('peer-state', { peerId: id, state: pc.connectionState });
      if (pc.connectionState === 'failed') pc.restartIce();
    };
    pc.oniceconnectionstatechange = () => {
      clearTimeout(this.disconnectTimer);
      if (pc.iceConnectionState === 'failed') pc.restartIce();
      if (pc.iceConnectionState === 'disconnected') {
        this.disconnectTimer = setTimeout(() => {
          if (pc.iceConnectionState === 'disconnected') pc.restartIce();
        }, 5000);
      }
    };
  }

  /** Descriptions and candidates of one peer are applied in arrival order. */
  enqueue(fn) {
    this.chain = this.chain.then(fn).catch((e) => this.room.emit('error', { peerId: this.id, message: String(e) }));
  }

  onDescription(type, sdp) {
    this.enqueue(async () => {
      const pc = this.pc;
      const collision = type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable');
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      await pc.setRemoteDescription({ type, sdp });
      if (type === 'offer') {
        await pc.setLocalDescription();
        this.room.signaling.send({ type: 'answer', to: this.id, sdp: pc.localDescription.sdp });
      }
    });
  }

  onCandidate(candidate) {
    this.enqueue(async () => {
      try {
        await this.pc.addIceCandidate(candidate || undefined);
      } catch (e) {
        if (!this.ignoreOffer) throw e;
      }
    });
  }

  close() {
    clearTimeout(this.disconnectTimer);
    this.pc.close();
  }
}


/**
 * The SFU connection: one RTCPeerConnection to the room's SFU worker, which always makes the offers.
 * We publish our camera and microphone on its first two m-lines (mid 0 audio, mid 1 video) and receive
 * every other participant's tracks on the rest; each received stream's id is its publisher's id.
 */
class SfuPeer {
  constructor(room) {
    this.room = room;
    this.pc = null;
    this.published = false;
    this.chain = Promise.resolve();
    this.remotes = new Map(); // publisher id -> { id, name, stream, receivers }
  }

  onOffer(msg) {
    this.chain = this.chain.then(() => this.apply(msg))
      .catch((e) => this.room.emit('error', { peerId: 'sfu', message: 'SFU offer failed: ' + e }));
  }

  createPc() {
    const room = this.room;
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: room.iceServers,
      iceTransportPolicy: room.iceTransportPolicy });
    pc.ontrack = (e) => {
      const publisher = e.streams[0] ? e.streams[0].id : 'unknown';
      let r = this.remotes.get(publisher);
      if (!r) {
        r = { id: publisher, name: (room.participants.get(publisher) || { name: publisher }).name, stream: new MediaStream(), receivers: [] };
        this.remotes.set(publisher, r);
      }
      r.stream.addTrack(e.track);
      r.receivers.push(e.receiver);
      // In an MCU room the only audio track is the worker's mix (stream id 'mix'): play it like any other.
      room.emit('track', { peerId: publisher, track: e.track, stream: r.stream, mixed: publisher === 'mix' });
    };
    pc.onconnectionstatechange = () => room.emit('peer-state', { peerId: 'sfu', state: pc.connectionState });
    this.pc = pc;
  }

  async apply(msg) {
    if (!this.pc) this.createPc();
    const pc = this.pc;
    await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
    if (!this.published && this.room.localStream) {
      const local = this.room.localStream;
      for (const t of pc.getTransceivers()) {
        const track = t.mid === '0' ? local.getAudioTracks()[0] : t.mid === '1' ? local.getVideoTracks()[0] : null;
        if (!track) continue;
        await t.sender.replaceTrack(track);
        t.sender.setStreams(local);
        t.direction = 'sendonly';
        const params = t.sender.getParameters();
        if (track.kind === 'video' && params.encodings && params.encodings.length > 1) {
          // Simulcast layers come lowest first: quarter, half and full resolution.
          params.encodings.forEach((enc, i) => { enc.scaleResolutionDownBy = 2 ** (params.encodings.length - 1 - i); });
          await t.sender.setParameters(params);
        }
      }
      this.published = true;
    }
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    this.room.signaling.send({ type: 'answer', to: 'sfu', sdp: answer.sdp, version: msg.version });
  }

  /** MCU rooms: the worker's mix changed speakers; {speakers: [participant ids]} (at most the room's mixerSpeakers). */
  onActiveSpeakers(msg) {
    this.activeSpeakers = msg.speakers || [];
    this.room.emit('active-speakers', { speakers: this.activeSpeakers });
  }

  removeRemote(id) { this.remotes.delete(id); }

  close() {
    if (this.pc) this.pc.close();
    this.pc = null;
    this.published = false;
    this.remotes.clear();
  }
}

/** A room: signaling plus one peer connection per remote participant (mesh), or one to the SFU. */
export class Room extends Emitter {
  /**
   * @param {object} o
   * @param {string} o.room       room id
   * @param {string} o.token      join token from your back end (POST /v1/tokens)
   * @param {string[]} [o.urls]   signaling WebSocket URLs, tried in turn on reconnect; default: this page's origin
   * @param {boolean} [o.simulcast] in SFU rooms, send three video layers so each subscriber gets what fits
   * @param {string} [o.iceTransportPolicy] 'relay' to use TURN only (testing a relay), default 'all'
   */
  constructor({ room, token, urls, simulcast, iceTransportPolicy }) {
    super();
    this.iceTransportPolicy = iceTransportPolicy || 'all';
    const origin = location.origin.replace(/^http/, 'ws');
    this.roomId = room;
    this.signaling = new Signaling({ urls: urls && urls.length ? urls : [origin + '/v1/signal'], room, token, simulcast });
    this.peers = new Map();
    this.participants = new Map();
    this.iceServers = [];
    this.topology = null;
    this.selfId = null;
    this.sfu = null;
    this.signaling.on('message', (m) => this.onMessage(m));
    this.signaling.on('state', (s) => this.emit('signaling', s));
    this.signaling.on('closed', (c) => this.emit('closed', c));
  }

  /** Joins with the given local media; resolves once the server admitted us. */
  join(localStream) {
    this.localStream = localStream;
    return new Promise((resolve, reject) => {
      const offJoined = this.on('joined', (j) => { offJoined(); offClosed(); resolve(j); });
      const offClosed = this.on('closed', (c) => { offJoined(); offClosed(); reject(new Error(this.lastError || c.reason)); });
      this.signaling.start();
    });
  }

  leave() {
    this.signaling.stop();
    for (const p of this.peers.values()) p.close();
    this.peers.clear();
    if (this.sfu) this.sfu.close();
  }

  onMessage(m) {
    if (m.from === 'sfu') {
      if (m.type === 'offer') this.sfuPeer().onOffer(m);
      else if (m.type === 'active-speakers') this.sfuPeer().onActiveSpeakers(m);
      return undefined;
    }
    switch (m.type) {
      case 'joined': return this.onJoined(m);
      case 'participant-joined': return this.onParticipantJoined(m.participant);
      case 'participant-left': return this.onParticipantLeft(m.participantId, m.reason);
      case 'offer': case 'answer': return this.peerFor(m.from).onDescription(m.type, m.sdp);
      case 'ice-candidate': return this.peerFor(m.from).onCandidate(m.candidate);
      case 'topology': this.topology = m.topology; return this.emit('topology', { topology: m.topology });
      case 'sfu-reset':
        // The room's SFU worker went away: drop our connection; a fresh offer from another worker follows.
        if (this.sfu) this.sfu.close();
        return this.emit('sfu-reset', { message: m.message });
      case 'error':
        this.lastError = m.message;
        return this.emit('error', { code: m.code, message: m.message, ref: m.ref });
      default: return undefined;
    }
  }

  onJoined(m) {
    this.selfId = m.participant.id;
    this.iceServers = m.iceServers;
    this.topology = m.topology;
    const present = new Map(m.participants.map((p) => [p.id, p]));
    if (!m.resumed) {
      // A new session: whatever we had belongs to the old one.
      for (const p of this.peers.values()) p.close();
      this.peers.clear();
      this.participants.clear();
    }
    for (const [id, p] of this.peers) {
      if (!present.has(id)) { p.close(); this.peers.delete(id); this.emit('participant-left', { id, reason: 'gone' }); }
    }
    if (!m.resumed && this.sfu) { this.sfu.close(); this.sfu = null; }
    for (const p of m.participants) {
      this.participants.set(p.id, p);
      if (m.topology === 'mesh' && !this.peers.has(p.id)) this.peers.set(p.id, new MeshPeer(this, p.id, p.name));
    }
    this.emit('joined', { self: m.participant, participants: m.participants, topology: m.topology, resumed: m.resumed, policy: m.policy });
  }

  onParticipantJoined(p) {
    this.participants.set(p.id, p);
    if (this.topology === 'mesh') {
      const existing = this.peers.get(p.id);
      if (existing) existing.close(); // the same identity joined again (new tab): start over with it
      this.peers.set(p.id, new MeshPeer(this, p.id, p.name));
    }
    this.emit('participant-joined', p);
  }

  sfuPeer() {
    if (!this.sfu) this.sfu = new SfuPeer(this);
    return this.sfu;
  }

  onParticipantLeft(id, reason) {
    const peer = this.peers.get(id);
    if (peer) peer.close();
    this.peers.delete(id);
    if (this.sfu) this.sfu.removeRemote(id);
    this.participants.delete(id);
    this.emit('participant-left', { id, reason });
  }

  peerFor(id) {
    let p = this.peers.get(id);
    if (!p) {
      p = new MeshPeer(this, id, (this.participants.get(id) || { name: id }).name);
      this.peers.set(id, p);
    }
    return p;
  }

  /**
   * Per-peer media statistics: received video frames, bitrates (kbit/s since the previous call),
   * round-trip time, packet loss and the selected candidate types.
   */
  async stats() {
    const out = {};
    for (const [id, peer] of this.peers) {
      const report = await peer.pc.getStats();
      out[id] = await this.collect(peer, peer.pc, report, [report]);
    }
    if (this.sfu && this.sfu.pc) {
      const pcReport = await this.sfu.pc.getStats();
      for (const [id, remote] of this.sfu.remotes) {
        const reports = await Promise.all(remote.receivers.map((r) => r.getStats()));
        out[id] = await this.collect(remote, this.sfu.pc, pcReport, reports);
      }
    }
    return out;
  }

  /** One remote participant's numbers: inbound from {@code reports}, transport and path from {@code pcReport}. */
  async collect(view, pc, pcReport, reports) {
    const s = { connectionState: pc.connectionState, videoFramesDecoded: 0, audioBytesReceived: 0,
      bytesReceived: 0, bytesSent: 0, packetsLost: 0, packetsReceived: 0, freezeCount: 0, rttMs: null,
      localCandidateType: null, remoteCandidateType: null };
    for (const report of reports) {
      report.forEach((r) => {
        if (r.type !== 'inbound-rtp') return;
        s.bytesReceived += r.bytesReceived || 0;
        s.packetsLost += r.packetsLost || 0;
        s.packetsReceived += r.packetsReceived || 0;
        if (r.kind === 'video') { s.videoFramesDecoded += r.framesDecoded || 0; s.freezeCount += r.freezeCount || 0; s.frameWidth = r.frameWidth; }
        if (r.kind === 'audio') s.audioBytesReceived += r.bytesReceived || 0;
      });
    }
    let pair = null;
    pcReport.forEach((r) => {
      if (r.type === 'outbound-rtp') s.bytesSent += r.bytesSent || 0;
      else if (r.type === 'transport' && r.selectedCandidatePairId) pair = pcReport.get(r.selectedCandidatePairId);
    });
    if (!pair) pcReport.forEach((r) => { if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') pair = r; });
    if (pair) {
      s.rttMs = pair.currentRoundTripTime != null ? Math.round(pair.currentRoundTripTime * 1000) : null;
      const l = pcReport.get(pair.localCandidateId);
      const r = pcReport.get(pair.remoteCandidateId);
      s.localCandidateType = l ? l.candidateType : null;
      s.remoteCandidateType = r ? r.candidateType : null;
    }
    const now = performance.now();
    if (view.lastStats) {
      const dt = (now - view.lastStats.at) / 1000;
      s.recvKbps = Math.round(((s.bytesReceived - view.lastStats.bytesReceived) * 8) / 1000 / dt);
      s.sendKbps = Math.round(((s.bytesSent - view.lastStats.bytesSent) * 8) / 1000 / dt);
      const lost = s.packetsLost - view.lastStats.packetsLost;
      const got = s.packetsReceived - view.lastStats.packetsReceived;
      s.lossPercent = lost + got > 0 ? Math.round((1000 * lost) / (lost + got)) / 10 : 0;
    }
    view.lastStats = { at: now, bytesReceived: s.bytesReceived, bytesSent: s.bytesSent,
      packetsLost: s.packetsLost, packetsReceived: s.packetsReceived };
    s.name = view.name;
    return s;
  }
}
