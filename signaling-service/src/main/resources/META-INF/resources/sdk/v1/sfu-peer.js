// The SFU connection: one RTCPeerConnection to the room's SFU worker, which always makes the offers.
// We publish our camera and microphone on its first two m-lines (mid 0 audio, mid 1 video) and receive
// every other participant's tracks on the rest; each received stream's id is its publisher's id.

export class SfuPeer {
  constructor(room) {
    this.room = room;
    this.pc = null;
    this.published = false;
    this.closed = false;
    this.chain = Promise.resolve();
    this.remotes = new Map(); // publisher id -> { id, stream, receivers }
    this.offersApplied = 0;
  }

  onOffer(msg) {
    if (!this.ufrag) this.ufrag = ufragOf(msg.sdp);
    this.chain = this.chain.then(() => this.apply(msg))
      .catch((e) => { if (!this.closed) this.room.emit('error', { peerId: 'sfu', message: 'SFU offer failed: ' + e }); });
  }

  createPc() {
    const room = this.room;
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: room.iceServers,
      iceTransportPolicy: room.iceTransportPolicy });
    pc.ontrack = (e) => {
      const publisher = e.streams[0] ? e.streams[0].id : 'unknown';
      let r = this.remotes.get(publisher);
      if (!r) {
        r = { id: publisher, stream: new MediaStream(), receivers: [] };
        this.remotes.set(publisher, r);
      }
      r.stream.addTrack(e.track);
      r.receivers.push(e.receiver);
      room.onRemoteTrack(publisher, 'sfu', e.track, r.stream);
    };
    pc.onconnectionstatechange = () => room.emit('peer-state', { peerId: 'sfu', path: 'sfu', state: pc.connectionState });
    this.pc = pc;
  }

  async apply(msg) {
    if (this.closed) return;
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
    this.offersApplied++;
    this.prune();
  }

  /**
   * Forgets receivers whose m-line the worker closed (a publisher's track it stopped sending, or the mix after a
   * switch to SFU): their tracks leave the stream, and a publisher left with none is forgotten, so a stream that
   * comes back later arrives as a new one.
   */
  prune() {
    const closed = new Set(this.pc.getTransceivers().filter((t) => t.stopped || t.currentDirection === 'stopped'
      || t.currentDirection === 'inactive').map((t) => t.receiver));
    for (const [id, r] of this.remotes) {
      const gone = r.receivers.filter((rec) => closed.has(rec) || rec.track.readyState === 'ended');
      if (gone.length === 0) continue;
      for (const rec of gone) r.stream.removeTrack(rec.track);
      r.receivers = r.receivers.filter((rec) => !gone.includes(rec));
      if (r.receivers.length === 0) {
        this.remotes.delete(id);
        if (id === 'mix') this.room.forgetMix();
      }
    }
  }

  /** Receivers of one publisher (or 'mix') still receiving, of one kind. */
  liveReceivers(id, kind) {
    const r = this.remotes.get(id);
    return r ? r.receivers.filter((rec) => rec.track.kind === kind && rec.track.readyState === 'live') : [];
  }

  /** MCU rooms: the worker's mix changed speakers; {speakers: [participant ids]} (at most the room's mixerSpeakers). */
  onActiveSpeakers(msg) {
    this.activeSpeakers = msg.speakers || [];
    this.room.emit('active-speakers', { speakers: this.activeSpeakers });
  }

  /**
   * Whether an offer comes from another transport than the one this connection was made for (its ICE ufrag
   * differs; the worker never restarts ICE on a transport): the server replaced our transport, e.g. when a
   * second sfu-open overtook the first one's offer.
   */
  isOtherTransport(sdp) {
    const u = ufragOf(sdp);
    return !!this.ufrag && !!u && u !== this.ufrag;
  }

  removeRemote(id) { this.remotes.delete(id); }

  close() {
    this.closed = true;
    if (this.pc) this.pc.close();
    this.pc = null;
    this.published = false;
    this.remotes.clear();
  }
}

function ufragOf(sdp) {
  const m = /^a=ice-ufrag:(\S+)/m.exec(sdp || '');
  return m ? m[1] : null;
}
