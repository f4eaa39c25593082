// One mesh peer: an RTCPeerConnection to one remote participant, negotiated with "perfect negotiation".
//
// Why more than the textbook pattern:
//  - Only one side makes the first offer (the initiator: the newcomer, or the lower id when a room
//    switches to mesh), so a fresh pair never starts in glare. The responder adds its tracks when the
//    offer arrives, which reuses the offer's transceivers, so no second negotiation follows.
//  - Candidates that cannot be applied yet (no remote description, or one whose ICE ufrag they do
//    not match, as after a glare where our side ignored the other's offer) are kept and retried after
//    every remote description: on glare the polite side keeps the ICE transport it gathered for its
//    rolled-back offer, and those early candidates are the only ones it ever sends.
//  - A watchdog restarts ICE when the pair is not connected within a bound (stuck in new/checking
//    counts), and re-creates the connection after a few restarts.
//  - Every message carries the connection id (`pc`): messages of a replaced connection are dropped,
//    and a new id from the other side means it started over.

const CONNECT_TIMEOUT_MS = 4000; // not connected by then: restart ICE (the polite side waits twice as long)
const MAX_ICE_RESTARTS = 2;      // after these, the connection is re-created
const OFFER_WAIT_MS = 3000;      // a responder that got no offer by then makes its own
const MAX_PENDING_CANDIDATES = 64;

export function newPcId() {
  return Math.random().toString(36).slice(2, 10) + Date.now().toString(36).slice(-4);
}

export class MeshPeer {
  /**
   * @param room      the Room (selfId, localStream, iceServers, signaling, emit)
   * @param id        the remote participant
   * @param initiator true: we make the first offer now; false: we wait for theirs
   * @param pcId      the connection id we adopt (a responder answering an offer), or null
   */
  constructor(room, id, { initiator, pcId = null }) {
    this.room = room;
    this.id = id;
    this.polite = room.selfId > id;
    this.pcId = initiator ? newPcId() : pcId;
    this.ownsPcId = initiator; // false: the id came with the other side's offer
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.chain = Promise.resolve();
    this.pending = [];
    this.tracksAdded = false;
    this.restarts = 0;
    this.collisions = 0; // offers that crossed ours (glare), for stats and tests
    this.closed = false;
    this.stream = new MediaStream();
    this.createdAt = performance.now();
    this.attemptStartedAt = this.createdAt;
    this.state = 'new';
    this.pc = new RTCPeerConnection({ iceServers: room.iceServers, iceTransportPolicy: room.iceTransportPolicy });
    this.wire();
    if (initiator) this.addLocalTracks();
    this.watchdog = setInterval(() => this.check(), 500);
  }

  wire() {
    const pc = this.pc;
    pc.onnegotiationneeded = async () => {
      if (this.closed || !this.pcId) return;
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        this.send({ type: 'offer', sdp: pc.localDescription.sdp });
      } catch (e) {
        this.room.emit('error', { peerId: this.id, message: 'offer failed: ' + e });
      } finally {
        this.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      this.send({ type: 'ice-candidate', candidate: candidate ? candidate.toJSON() : null });
    };
    pc.ontrack = ({ track }) => {
      this.stream.addTrack(track);
      this.room.onRemoteTrack(this.id, 'mesh', track, this.stream);
    };
    pc.onconnectionstatechange = () => {
      const s = pc.connectionState;
      if (s === 'connected') { this.restarts = 0; this.connectedAt = performance.now(); }
      if (s === 'disconnected') this.attemptStartedAt = performance.now(); // the watchdog gives it a bound to recover
      if (s === 'failed' && this.room.switch.path === 'mesh') this.restart('failed');
      this.setState(s);
    };
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.room.emit('peer-state', { peerId: this.id, path: 'mesh', state });
  }

  send(msg) {
    if (this.closed || !this.pcId) return;
    this.room.signaling.send({ ...msg, to: this.id, pc: this.pcId });
  }

  addLocalTracks() {
    if (this.tracksAdded) return;
    this.tracksAdded = true;
    const local = this.room.localStream;
    for (const track of local ? local.getTracks() : []) this.pc.addTrack(track, local);
  }

  /** Descriptions and candidates of one peer are applied in arrival order. */
  enqueue(fn) {
    this.chain = this.chain.then(fn).catch((e) => {
      if (!this.closed) this.room.emit('error', { peerId: this.id, message: String(e) });
    });
  }

  onDescription(type, sdp) {
    this.enqueue(async () => {
      if (this.closed) return;
      const pc = this.pc;
      const collision = type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable');
      if (collision) this.collisions++;
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      if (type === 'answer' && pc.signalingState !== 'have-local-offer') return; // an answer to an offer we rolled back
      await pc.setRemoteDescription({ type, sdp });
      await this.retryPending();
      if (type === 'offer') {
        this.addLocalTracks(); // a responder's first offer: reuse its transceivers, so one negotiation does it all
        await pc.setLocalDescription();
        this.send({ type: 'answer', sdp: pc.localDescription.sdp });
        if (collision) this.resendLocalCandidates();
      }
    });
  }

  onCandidate(candidate) {
    this.enqueue(async () => {
      if (this.closed) return;
      if (!candidate) return; // end-of-candidates: nothing to do for a trickling peer
      try {
        await this.pc.addIceCandidate(candidate);
      } catch (e) {
        // No remote description yet, or one of another ICE generation: keep it for the next one.
        if (this.pending.length < MAX_PENDING_CANDIDATES) this.pending.push(candidate);
      }
    });
  }

  async retryPending() {
    const todo = this.pending.splice(0);
    for (const c of todo) {
      try { await this.pc.addIceCandidate(c); } catch (e) { if (this.pending.length < MAX_PENDING_CANDIDATES) this.pending.push(c); }
    }
  }

  /**
   * After answering an offer that collided with ours, our ICE transport may be the one gathered for
   * the rolled-back offer, whose candidates the other side ignored: send them again from the local description.
   */
  resendLocalCandidates() {
    const sdp = this.pc.localDescription ? this.pc.localDescription.sdp : '';
    let mid = null;
    let index = -1;
    let ufrag = null;
    for (const line of sdp.split(/\r?\n/)) {
      if (line.startsWith('m=')) { index++; mid = null; }
      else if (line.startsWith('a=mid:')) mid = line.slice(6);
      else if (line.startsWith('a=ice-ufrag:')) ufrag = line.slice(12);
      else if (line.startsWith('a=candidate:')) {
        this.send({ type: 'ice-candidate', candidate: { candidate: line.slice(2), sdpMid: mid, sdpMLineIndex: index, usernameFragment: ufrag } });
      }
    }
  }

  /** The watchdog: a pair that does not connect within a bound gets an ICE restart, then a new connection. */
  check() {
    // A connection kept only until a switch away from mesh finishes is not worth repairing.
    if (this.closed || this.room.switch.path !== 'mesh') return;
    const now = performance.now();
    if (this.pc.connectionState === 'connected') return;
    if (!this.pcId) {
      if (now - this.createdAt > OFFER_WAIT_MS) this.initiate();
      return;
    }
    const bound = CONNECT_TIMEOUT_MS * (this.polite ? 2 : 1); // one side acts first, so both rarely restart at once
    if (now - this.attemptStartedAt < bound) return;
    this.restart('not connected after ' + Math.round(now - this.attemptStartedAt) + ' ms');
  }

  restart(why) {
    this.attemptStartedAt = performance.now();
    if (this.restarts >= MAX_ICE_RESTARTS) {
      this.room.emit('peer-state', { peerId: this.id, path: 'mesh', state: 'recreating', reason: why });
      this.room.recreateMeshPeer(this.id);
      return;
    }
    this.restarts++;
    this.setState('restarting');
    this.room.emit('ice-restart', { peerId: this.id, attempt: this.restarts, reason: why });
    if (this.pc.signalingState === 'have-local-offer') {
      // Our last offer was never answered (lost, or ignored in a glare): offer again from scratch.
      this.enqueue(async () => { await this.pc.setLocalDescription({ type: 'rollback' }); this.pc.restartIce(); });
    } else {
      this.pc.restartIce();
    }
  }

  /** A responder that waited in vain makes the first offer itself. */
  initiate() {
    this.pcId = newPcId();
    this.ownsPcId = true;
    this.attemptStartedAt = performance.now();
    if (this.tracksAdded) this.pc.restartIce(); else this.addLocalTracks();
  }

  /** Whether an offer with another connection id from the other side replaces this connection. */
  yieldsTo() {
    if (this.pc.connectionState === 'connected') return true; // they started over (a new tab, their watchdog)
    return this.polite || !this.ownsPcId;                     // both started over at once: the polite side gives way
  }

  /** A waiting responder takes the id of the first offer. */
  adopt(pcId) {
    this.pcId = pcId;
    this.ownsPcId = false;
  }

  close() {
    this.closed = true;
    clearInterval(this.watchdog);
    this.pc.close();
  }
}
