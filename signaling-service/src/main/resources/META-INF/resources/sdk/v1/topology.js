// Live topology switching, make-before-break, on the client side (protocol v2).
//
// PREPARE(epoch, target): bring up the target path (the SFU connection, or a mesh connection to every
// other participant) while the current one keeps flowing. Per remote participant, rendering moves to
// the target path on its first decoded frame, and the old path's audio is disabled at that same
// instant (never both audible, never a black tile). When the target path decodes from everyone we
// send READY. COMMIT: the old path closes. ABORT: the target path closes and rendering returns.
// Messages of an older epoch are stale and dropped.
//
// Between SFU and MCU the connection stays: the worker sends both the mix and each speaker's audio while
// the switch prepares, we send READY once the new audio arrives, and at the COMMIT we change which one
// plays in one step (never both, never neither); the worker then drops the old one.

const READY_POLL_MS = 100;
/** After a commit, how long a remote not yet decoding on the new path is still shown from the old one. */
const COMMIT_GRACE_MS = 3000;

/** The connection a topology runs on: 'mesh', or the media server's ('sfu') for SFU and MCU alike. */
const pathOf = (topology) => (topology === 'mesh' ? 'mesh' : 'sfu');

/** A switch between SFU and MCU: the same connection, only the audio changes. */
const audioOnly = (from, to) => pathOf(from) === 'sfu' && pathOf(to) === 'sfu';

export class TopologySwitch {
  constructor(room) {
    this.room = room;
    this.epoch = 0;
    this.switching = null; // { epoch, from, to, startedAt, readySent }
    this.finishing = null; // after a commit: { from, to, until } while late remotes still play from the old path
    this.timer = null;
  }

  /** What the room runs now, or is moving to: where new participants are connected. */
  get path() {
    return this.switching ? this.switching.to : this.room.topology;
  }

  /** From the joined message: a joiner during a switch lands in its target and reports READY like everyone else. */
  onJoined(m) {
    this.epoch = m.epoch || 0;
    this.stop();
    // A fresh joiner during a switch lands in its target (the server opened what it needs); a resumed session
    // (its replica died) brings up whatever it lacks itself, as if the PREPARE had just arrived.
    if (m.switching) this.begin(this.epoch, m.switching.from, m.switching.to, !m.resumed);
    else if (m.resumed && m.topology !== 'mesh' && !this.room.sfu) this.room.signaling.send({ type: 'sfu-open', epoch: this.epoch });
  }

  onMessage(m) {
    switch (m.type) {
      case 'topology-prepare': return this.onPrepare(m);
      case 'topology-commit': return this.onCommit(m);
      case 'topology-abort': return this.onAbort(m);
      case 'topology-held':
        return this.room.emit('topology-held', { topology: m.topology, wanted: m.wanted, reason: m.reason });
      default: return undefined;
    }
  }

  onPrepare(m) {
    if (m.epoch <= this.epoch) return; // stale
    this.epoch = m.epoch;
    if (this.finishing) { this.room.closePath(this.finishing.from); this.stop(); }
    this.begin(m.epoch, m.current, m.topology, false);
  }

  begin(epoch, from, to, joinedDuring) {
    const room = this.room;
    this.switching = { epoch, from, to, startedAt: performance.now(), readySent: false, audioOnly: audioOnly(from, to),
      sinceOffers: room.sfu ? room.sfu.offersApplied : 0 };
    room.emit('topology-changing', { from, to, epoch });
    if (!joinedDuring) {
      if (to !== 'mesh' && !room.sfu) room.signaling.send({ type: 'sfu-open', epoch });
      else if (to === 'mesh') room.connectMeshToEveryone();
    }
    clearInterval(this.timer);
    this.timer = setInterval(() => this.checkReady(), READY_POLL_MS);
    this.checkReady();
  }

  /** Moves each remote to the target path as soon as it decodes there; READY once all do. */
  async checkReady() {
    const sw = this.switching;
    if (!sw || this.checking) return;
    this.checking = true;
    try {
      const room = this.room;
      const path = pathOf(sw.to);
      let all = true;
      if (sw.audioOnly) {
        all = await room.audioArrives(sw.to, sw.sinceOffers);
      } else {
        for (const id of room.participants.keys()) {
          const r = room.remotes.get(id);
          if (r && r.active === path) continue;
          if (await room.presentable(id, path)) room.render(id, path);
          else all = false;
        }
      }
      if (sw !== this.switching) return;
      if (all && !sw.readySent) {
        sw.readySent = true;
        sw.readyAt = performance.now();
        room.signaling.send({ type: 'topology-ready', epoch: sw.epoch });
        room.emit('topology-ready', { epoch: sw.epoch, to: sw.to, ms: Math.round(sw.readyAt - sw.startedAt) });
      }
    } finally {
      this.checking = false;
    }
  }

  onCommit(m) {
    if (m.epoch < this.epoch) return;
    this.epoch = m.epoch;
    const room = this.room;
    const sw = this.switching;
    const from = room.topology;
    this.stop();
    room.topology = m.topology;
    if (audioOnly(sw ? sw.from : from, m.topology)) {
      room.applyAudioRouting(); // the worker drops the old audio after this
      room.emit('topology', { topology: m.topology, from: sw ? sw.from : from, epoch: m.epoch, durationMs: m.durationMs,
        localMs: sw ? Math.round(performance.now() - sw.startedAt) : null });
      return;
    }
    // Old connections of remotes already shown from the new path close now; a late remote keeps playing from
    // the old path until the new one decodes (or the grace ends), so a slow client never shows a frozen tile.
    // A late participant (no READY before a deadline commit) may still show us from the old path: our mesh
    // connection to it stays until it closes its end or the grace ends, so its view of us never freezes.
    this.finishing = { from: m.topology === 'mesh' ? 'sfu' : 'mesh', to: pathOf(m.topology), until: performance.now() + COMMIT_GRACE_MS,
      late: new Set(m.late || []) };
    this.timer = setInterval(() => this.finish(), READY_POLL_MS);
    this.finish();
    room.emit('topology', { topology: m.topology, from, epoch: m.epoch, durationMs: m.durationMs,
      localMs: sw ? Math.round(performance.now() - sw.startedAt) : null });
  }

  onAbort(m) {
    if (m.epoch < this.epoch) return;
    this.epoch = m.epoch;
    const room = this.room;
    this.stop();
    room.topology = m.topology;
    room.applyAudioRouting();
    // Keep (or re-establish) the path the room stays on, then drop the abandoned one.
    if (m.topology !== 'mesh' && !room.sfu) room.signaling.send({ type: 'sfu-open', epoch: m.epoch });
    if (m.topology === 'mesh') room.connectMeshToEveryone();
    for (const id of room.participants.keys()) room.render(id, pathOf(m.topology));
    if (pathOf(m.abandoned) !== pathOf(m.topology)) room.closePath(pathOf(m.abandoned));
    room.emit('topology', { topology: m.topology, epoch: m.epoch, aborted: true, reason: m.reason });
  }

  /** After a commit: move late remotes as they decode on the new path; then close the old path. */
  async finish() {
    const f = this.finishing;
    if (!f || this.checking) return;
    this.checking = true;
    try {
      const room = this.room;
      const late = [];
      for (const id of room.participants.keys()) {
        const r = room.remotes.get(id);
        const moved = (r && r.active === f.to) || (await room.presentable(id, f.to));
        if (!moved) { late.push(id); continue; }
        room.render(id, f.to);
        if (f.from !== 'mesh') continue;
        if (f.late.has(id) && room.meshPeerOpen(id)) late.push(id); // it may still show us from there
        else room.closeMeshPeer(id);
      }
      if (f !== this.finishing) return;
      if (late.length === 0 || performance.now() > f.until) {
        for (const id of late) room.render(id, f.to);
        room.closePath(f.from);
        this.stop();
      }
    } finally {
      this.checking = false;
    }
  }

  /** A mesh connection of the target path failed for good: the switch cannot complete. */
  targetFailed(reason) {
    const sw = this.switching;
    if (sw && !sw.failedSent) {
      sw.failedSent = true;
      this.room.signaling.send({ type: 'topology-failed', epoch: sw.epoch, reason });
    }
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.switching = null;
    this.finishing = null;
  }
}
