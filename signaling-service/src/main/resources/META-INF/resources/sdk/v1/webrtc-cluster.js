// webrtc-cluster browser SDK. Plain ES modules, no dependencies.
//
//   import { Room } from '/sdk/v1/webrtc-cluster.js';
//   const room = new Room({ room: 'standup', token, urls: ['wss://rtc.example.com/v1/signal'] });
//   room.on('track', ({ peerId, stream }) => attach(peerId, stream));
//   await room.join(await navigator.mediaDevices.getUserMedia({ video: true, audio: true }));
//
// Mesh peers negotiate with "perfect negotiation" hardened against glare (mesh-peer.js) and watched
// until they connect; rooms move between mesh and SFU while the call goes on, make-before-break
// (topology.js); the SDK survives signaling drops: it resumes its session on any replica and the
// server replays what it missed, so peers never notice.
import { Emitter } from './emitter.js';
import { Signaling } from './signaling.js';
import { MeshPeer } from './mesh-peer.js';
import { SfuPeer } from './sfu-peer.js';
import { collect } from './stats.js';
import { TopologySwitch } from './topology.js';

export { PROTOCOL_VERSION } from './signaling.js';

/** Frames a new path's element must present before rendering moves to it (see pathPresented). */
const PRESENTED_FRAMES = 3;
/** How long a decoding path may go unpresented before rendering moves anyway. */
const PRESENT_WAIT_MS = 1000;

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
    this.peers = new Map();        // mesh: remote id -> MeshPeer
    this.sfu = null;               // the SFU connection, when the room runs on one
    this.participants = new Map(); // remote id -> {id, name}
    this.remotes = new Map();      // remote id -> {id, streams: {mesh, sfu}, active}: what the app renders
    this.iceServers = [];
    this.topology = null;
    this.selfId = null;
    this.state = 'new';
    this.switch = new TopologySwitch(this);
    this.signaling.on('message', (m) => this.onMessage(m));
    this.signaling.on('state', (s) => this.emit('signaling', s));
    this.signaling.on('closed', (c) => { this.state = 'closed'; this.emit('closed', c); });
  }

  /** Joins with the given local media; resolves once the server admitted us. */
  join(localStream) {
    this.localStream = localStream;
    this.state = 'joining';
    return new Promise((resolve, reject) => {
      const offJoined = this.on('joined', (j) => { offJoined(); offClosed(); resolve(j); });
      const offClosed = this.on('closed', (c) => { offJoined(); offClosed(); reject(new Error(this.lastError || c.reason)); });
      this.signaling.start();
    });
  }

  /**
   * Leaves the room: the server frees the seat at once, every connection closes, every remote is
   * reported gone ('participant-left'), and (unless {@code stopTracks} is false) the local camera and
   * microphone are released. Ends with a 'left' event.
   */
  leave({ stopTracks = true } = {}) {
    if (this.state === 'left') return;
    this.state = 'left';
    this.switch.stop();
    this.signaling.stop();
    for (const p of this.peers.values()) p.close();
    this.peers.clear();
    if (this.sfu) { this.sfu.close(); this.sfu = null; }
    for (const id of [...this.participants.keys()]) this.emit('participant-left', { id, reason: 'left' });
    this.participants.clear();
    this.remotes.clear();
    this.topology = null;
    if (stopTracks && this.localStream) this.localStream.getTracks().forEach((t) => t.stop());
    this.emit('topology', { topology: null });
    this.emit('left', {});
  }

  onMessage(m) {
    if (this.state === 'left') return undefined;
    if (m.from === 'sfu') {
      // Offers from the media server matter while the room runs on it (SFU, or MCU: the same connection) or is moving to it.
      if (m.type === 'offer' && (this.topology === 'sfu' || this.topology === 'mcu' || this.switch.path === 'sfu')) {
        if (this.sfu && this.sfu.isOtherTransport(m.sdp)) { this.sfu.close(); this.sfu = null; } // our transport was replaced
        this.sfuPeer().onOffer(m);
      } else if (m.type === 'active-speakers') this.sfuPeer().onActiveSpeakers(m);
      return undefined;
    }
    if (m.type && m.type.startsWith('topology-')) return this.switch.onMessage(m);
    switch (m.type) {
      case 'joined': return this.onJoined(m);
      case 'participant-joined': return this.onParticipantJoined(m.participant);
      case 'participant-left': return this.onParticipantLeft(m.participantId, m.reason);
      case 'offer': case 'answer': case 'ice-candidate': return this.onPeerMessage(m);
      case 'topology': this.topology = m.topology; return this.emit('topology', { topology: m.topology });
      case 'sfu-reset':
        // The room's SFU worker went away: drop our connection; a fresh offer from another worker follows.
        if (this.sfu) { this.sfu.close(); this.sfu = null; }
        return this.emit('sfu-reset', { message: m.message });
      case 'error':
        this.lastError = m.message;
        return this.emit('error', { code: m.code, message: m.message, ref: m.ref });
      default: return undefined;
    }
  }

  onJoined(m) {
    this.state = 'joined';
    this.selfId = m.participant.id;
    this.iceServers = m.iceServers;
    this.topology = m.topology;
    const present = new Map(m.participants.map((p) => [p.id, p]));
    if (!m.resumed) {
      // A new session: whatever we had belongs to the old one.
      for (const p of this.peers.values()) p.close();
      this.peers.clear();
      this.participants.clear();
      this.remotes.clear();
      if (this.sfu) { this.sfu.close(); this.sfu = null; }
    }
    for (const id of [...this.participants.keys()]) {
      if (!present.has(id)) this.onParticipantLeft(id, 'gone');
    }
    for (const p of m.participants) {
      this.participants.set(p.id, p);
      // The newcomer makes the first offer to everyone already there, so no pair starts in glare.
      if (m.topology === 'mesh' && !this.peers.has(p.id)) this.peers.set(p.id, new MeshPeer(this, p.id, { initiator: true }));
    }
    this.applyAudioRouting();
    this.switch.onJoined(m);
    this.emit('joined', { self: m.participant, participants: m.participants, topology: m.topology, resumed: m.resumed, policy: m.policy });
  }

  onParticipantJoined(p) {
    this.participants.set(p.id, p);
    // The newcomer offers; we wait for it (its offer may even have arrived first). A connection we had
    // with an earlier session of the same identity is replaced when the new session's offer arrives.
    if (this.switch.path === 'mesh' && !this.peers.has(p.id)) this.peers.set(p.id, new MeshPeer(this, p.id, { initiator: false }));
    this.emit('participant-joined', p);
  }

  onParticipantLeft(id, reason) {
    const peer = this.peers.get(id);
    if (peer) peer.close();
    this.peers.delete(id);
    if (this.sfu) this.sfu.removeRemote(id);
    this.remotes.delete(id);
    this.participants.delete(id);
    this.emit('participant-left', { id, reason });
  }

  /** An offer, answer or candidate from a mesh peer, routed to the connection it belongs to. */
  onPeerMessage(m) {
    let peer = this.peers.get(m.from);
    if (peer && m.pc && peer.pcId !== m.pc) {
      if (m.type !== 'offer') return; // for a connection we replaced, or one we have not accepted
      if (!peer.pcId) {
        peer.adopt(m.pc);
      } else if (peer.yieldsTo()) {
        peer.close();
        peer = null;
      } else {
        return; // both started a new connection at once; ours wins and theirs yields when our offer arrives
      }
    }
    if (!peer) {
      // No new direct connections while the room runs on (or moves to) the SFU: a lingering peer's repair attempt.
      if (m.type !== 'offer' || this.switch.path !== 'mesh') return;
      peer = new MeshPeer(this, m.from, { initiator: false, pcId: m.pc || null });
      this.peers.set(m.from, peer);
    }
    if (m.type === 'ice-candidate') peer.onCandidate(m.candidate);
    else peer.onDescription(m.type, m.sdp);
  }

  /** The watchdog gave up on a connection: start a new one (the other side follows our new offer). */
  recreateMeshPeer(id) {
    if (this.switch.switching && this.switch.switching.to === 'mesh') this.switch.targetFailed('no direct connection to ' + id);
    const old = this.peers.get(id);
    if (old) old.close();
    if (!this.participants.has(id) || this.state !== 'joined') { this.peers.delete(id); return; }
    this.peers.set(id, new MeshPeer(this, id, { initiator: true }));
  }

  sfuPeer() {
    if (!this.sfu) this.sfu = new SfuPeer(this);
    return this.sfu;
  }

  /** A switch to mesh: a connection to every participant we lack one with; the lower id offers. */
  connectMeshToEveryone() {
    for (const id of this.participants.keys()) {
      if (!this.peers.has(id)) this.peers.set(id, new MeshPeer(this, id, { initiator: this.selfId < id }));
    }
  }

  /** Closes the mesh connection to one participant (it is shown from the SFU now) and forgets its stream. */
  closeMeshPeer(id) {
    const p = this.peers.get(id);
    if (!p) return;
    p.close();
    this.peers.delete(id);
    const r = this.remotes.get(id);
    if (r && r.streams.mesh) this.forgetPath(r, 'mesh');
  }

  /** Whether our mesh connection to {@code id} is still up on both ends (not closed by either side). */
  meshPeerOpen(id) {
    const p = this.peers.get(id);
    return !!p && !p.closed && !['closed', 'failed', 'disconnected'].includes(p.pc.connectionState);
  }

  /** Closes every connection of one path ('mesh' or 'sfu') and forgets its streams. */
  closePath(path) {
    if (path === 'mesh') {
      for (const p of this.peers.values()) p.close();
      this.peers.clear();
    } else if (path === 'sfu' && this.sfu) {
      this.sfu.close();
      this.sfu = null;
    }
    for (const r of this.remotes.values()) if (r.streams[path]) this.forgetPath(r, path);
  }

  /** The worker stopped mixing (the room switched to SFU): the mix is gone; a later mix arrives as a new stream. */
  forgetMix() {
    const r = this.remotes.get('mix');
    if (r) { this.remotes.delete('mix'); this.emit('path-closed', { peerId: 'mix', path: 'sfu' }); }
  }

  /** Remote {@code r} no longer has {@code path}: whatever arrives next on another path is rendered at once. */
  forgetPath(r, path) {
    delete r.streams[path];
    if (r.presented) delete r.presented[path];
    if (r.decodingSince) delete r.decodingSince[path];
    if (r.active === path) r.active = null;
    this.emit('path-closed', { peerId: r.id, path });
  }

  /** Whether media from participant {@code id} decodes on {@code path}: a video frame, or audio where no video comes. */
  async decodes(id, path) {
    let reports = [];
    if (path === 'mesh') {
      const p = this.peers.get(id);
      if (p && p.pc.connectionState === 'connected') reports = [await p.pc.getStats()];
    } else if (this.sfu && this.sfu.remotes.has(id)) {
      reports = await Promise.all(this.sfu.remotes.get(id).receivers.map((r) => r.getStats()));
    }
    let frames = 0;
    let video = false;
    let audio = 0;
    for (const rep of reports) {
      rep.forEach((r) => {
        if (r.type !== 'inbound-rtp') return;
        if (r.kind === 'video') { video = true; frames += r.framesDecoded || 0; }
        if (r.kind === 'audio') audio += r.packetsReceived || 0;
      });
    }
    return video ? frames > 0 : audio > 0;
  }

  /**
   * For apps that pre-attach every path ('path-stream'): call this on each frame a path's element presents
   * (requestVideoFrameCallback), hidden or not. Rendering then moves to a new path only once its element
   * is really presenting: a video element starts presenting 100–250 ms after the first frame decodes, and a
   * switch at first decode showed that as a frozen tile.
   */
  pathPresented(id, path) {
    this.presentationReported = true;
    const r = this.remotes.get(id);
    if (!r) return;
    const p = r.presented || (r.presented = {});
    p[path] = (p[path] || 0) + 1;
    if (p[path] === PRESENTED_FRAMES && r.active && r.active !== path) this.switch.checkReady();
  }

  /**
   * Whether participant {@code id} may be shown from {@code path} now: it decodes there and, when the app
   * reports presented frames, the path's element has presented a few (or it has decoded for long enough
   * that the app evidently doesn't show it).
   */
  async presentable(id, path) {
    const r = this.remotes.get(id);
    if (!r || !(await this.decodes(id, path))) return false;
    if (!this.presentationReported) return true;
    const since = r.decodingSince || (r.decodingSince = {});
    if (since[path] == null) since[path] = performance.now();
    return ((r.presented && r.presented[path]) || 0) >= PRESENTED_FRAMES || performance.now() - since[path] > PRESENT_WAIT_MS;
  }

  /**
   * Renders participant {@code id} from {@code path}: its audio there is enabled and the other path's
   * disabled in the same step (never heard twice), and 'track' tells the app which stream to show.
   */
  render(id, path) {
    const r = this.remotes.get(id);
    if (!r || r.active === path || !r.streams[path]) return;
    for (const [p, stream] of Object.entries(r.streams)) {
      for (const t of stream.getAudioTracks()) t.enabled = p === path && this.audible(id, p);
    }
    const from = r.active;
    r.active = path;
    r.switchedAt = performance.now();
    this.emit('track', { peerId: id, path, stream: r.streams[path], track: r.streams[path].getVideoTracks()[0] });
    this.emit('remote-path', { peerId: id, path, from });
  }

  /**
   * A remote track arrived on one path. 'path-stream' lets an app pre-attach every path's stream;
   * 'track' names the stream to render for that participant now.
   */
  onRemoteTrack(peerId, path, track, stream) {
    let r = this.remotes.get(peerId);
    if (!r) { r = { id: peerId, streams: {}, active: null }; this.remotes.set(peerId, r); }
    r.streams[path] = stream;
    if (!r.active) r.active = path;
    // A path under preparation stays silent until it is the one rendered; on the media server, the mix and
    // the per-speaker audio are never both audible (see audible()).
    if (track.kind === 'audio') track.enabled = r.active === path && this.audible(peerId, path);
    this.emit('path-stream', { peerId, path, track, stream });
    // In an MCU room the only audio track is the worker's mix (stream id 'mix'): play it like any other.
    if (r.active === path) this.emit('track', { peerId, path, track, stream, mixed: peerId === 'mix' });
  }

  /**
   * Whether audio from {@code peerId} on {@code path} is what we play: on the media server's connection the
   * room's mix (peer 'mix') while the room runs as an MCU, each speaker's own stream otherwise. During a
   * switch between the two the worker sends both, and this changes only at the commit, in one step.
   */
  audible(peerId, path) {
    if (path !== 'sfu') return true;
    return (peerId === 'mix') === (this.topology === 'mcu');
  }

  /** The room changed between SFU and MCU: enable the mix or the speakers' own audio, in the same step. */
  applyAudioRouting() {
    for (const r of this.remotes.values()) {
      const stream = r.streams.sfu;
      if (!stream) continue;
      for (const t of stream.getAudioTracks()) t.enabled = r.active === 'sfu' && this.audible(r.id, 'sfu');
    }
  }

  /**
   * Whether the audio a switch between SFU and MCU moves to arrives: the mix's m-line (to MCU), or every
   * speaker's own audio (to SFU: the worker's offer adding them applied, and each decodes), with our
   * connection's negotiation settled.
   */
  async audioArrives(to, sinceOffers) {
    const sfu = this.sfu;
    if (!sfu || !sfu.pc || sfu.pc.signalingState !== 'stable') return false;
    if (to === 'mcu') return sfu.liveReceivers('mix', 'audio').length > 0;
    if (sfu.offersApplied <= sinceOffers) return false;
    for (const id of sfu.remotes.keys()) {
      if (id === 'mix') continue;
      for (const rec of sfu.liveReceivers(id, 'audio')) {
        let packets = 0;
        (await rec.getStats()).forEach((x) => { if (x.type === 'inbound-rtp') packets += x.packetsReceived || 0; });
        if (packets === 0) return false;
      }
    }
    return true;
  }

  /**
   * Per-remote media statistics: received video frames, bitrates (kbit/s since the previous call),
   * round-trip time, packet loss, the selected candidate types, and whether media is arriving.
   */
  async stats() {
    const out = {};
    // The path each remote is rendered from (during a switch both exist; the other one is not what the user sees).
    const rendered = (id, path) => { const r = this.remotes.get(id); return !r || !r.active || r.active === path; };
    for (const [id, peer] of this.peers) {
      if (!rendered(id, 'mesh')) continue;
      const report = await peer.pc.getStats();
      out[id] = { ...collect(peer, peer.pc, report, [report]), path: 'mesh', state: peer.state };
    }
    // Captured: a switch may close the SFU connection while we await its statistics.
    const sfu = this.sfu;
    const pc = sfu && sfu.pc;
    if (pc) {
      const pcReport = await pc.getStats();
      for (const [id, remote] of [...sfu.remotes]) {
        if (!rendered(id, 'sfu') || !this.participants.has(id)) continue;
        const reports = await Promise.all(remote.receivers.map((r) => r.getStats()));
        out[id] = { ...collect(remote, pc, pcReport, reports), path: 'sfu', state: pc.connectionState };
      }
    }
    for (const [id, s] of Object.entries(out)) s.name = (this.participants.get(id) || { name: id }).name;
    return out;
  }
}
