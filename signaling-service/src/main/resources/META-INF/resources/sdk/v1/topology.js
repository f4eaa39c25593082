// Live topology switching, make-before-break, on the client side (protocol v2).
//
// PREPARE(epoch, target): bring up the target path (the SFU connection, or a mesh connection to every
// other participant) while the current one keeps flowing. Per remote participant, rendering moves to
// the target path on its first decoded frame, and the old path's audio is disabled at that same
// instant (never both audible, never a black tile). When the target path decodes from everyone we
// send READY. COMMIT: the old path closes. ABORT: the target path closes and rendering returns.
// Messages of an older epoch are stale and dropped.

const READY_POLL_MS = 100;

export class TopologySwitch {
  constructor(room) {
    this.room = room;
    this.epoch = 0;
    this.switching = null; // { epoch, from, to, startedAt, readySent }
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
    if (m.switching) this.begin(this.epoch, m.switching.from, m.switching.to, true);
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
    this.begin(m.epoch, m.from, m.topology, false);
  }

  begin(epoch, from, to, joinedDuring) {
    const room = this.room;
    this.switching = { epoch, from, to, startedAt: performance.now(), readySent: false };
    room.emit('topology-changing', { from, to, epoch });
    if (!joinedDuring) {
      if (to === 'sfu') room.signaling.send({ type: 'sfu-open', epoch });
      else room.connectMeshToEveryone();
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
      let all = true;
      for (const id of room.participants.keys()) {
        const r = room.remotes.get(id);
        if (r && r.active === sw.to) continue;
        if (await room.decodes(id, sw.to)) room.render(id, sw.to);
        else all = false;
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
    for (const id of room.participants.keys()) room.render(id, m.topology); // anyone not yet moved moves now
    room.closePath(m.topology === 'sfu' ? 'mesh' : 'sfu');
    room.emit('topology', { topology: m.topology, from, epoch: m.epoch, durationMs: m.durationMs,
      localMs: sw ? Math.round(performance.now() - sw.startedAt) : null });
  }

  onAbort(m) {
    if (m.epoch < this.epoch) return;
    this.epoch = m.epoch;
    const room = this.room;
    this.stop();
    room.topology = m.topology;
    // Keep (or re-establish) the path the room stays on, then drop the abandoned one.
    if (m.topology === 'sfu' && !room.sfu) room.signaling.send({ type: 'sfu-open', epoch: m.epoch });
    if (m.topology === 'mesh') room.connectMeshToEveryone();
    for (const id of room.participants.keys()) room.render(id, m.topology);
    room.closePath(m.abandoned);
    room.emit('topology', { topology: m.topology, epoch: m.epoch, aborted: true, reason: m.reason });
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
  }
}
