// The demo page: join a room by name, show local/remote video, participants, topology and per-peer
// state and stats each second. Query parameters: room, name, autojoin=1, signal=<comma-separated ws URLs>,
// simulcast=1 (SFU rooms), relay=1 (TURN only).
// Tests read window.wrcDemo: mediaReport(), firstFrameMs(peerId), frameGaps(sinceMs), pathFrames, events, errors.
import { Room } from '/sdk/v1/webrtc-cluster.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let room = null;
let local = null;
let joinStartedAt = 0;
let firstFrameAt = {};
const frames = {}; // remote id -> timestamps (ms) of frames presented by its visible video element
const pathFrames = {}; // "remote/path" -> times of frames its element presented, hidden or shown (bench diagnosis)
const errors = [];
const events = []; // participant-joined/left, signaling and topology changes, for tests and the curious

$('room').value = params.get('room') || 'lobby';
$('name').value = params.get('name') || 'guest-' + Math.random().toString(36).slice(2, 6);

function identityFor(name) {
  const base = name.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40) || 'guest';
  return base + '-' + Math.random().toString(36).slice(2, 8);
}

async function join(ev) {
  if (ev) ev.preventDefault();
  const roomId = $('room').value.trim();
  const name = $('name').value.trim();
  joinStartedAt = performance.now(); // "join click → first frame" starts here, camera and token included
  $('join').disabled = true;
  status('getting camera…');
  try {
    local = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
  } catch (e) {
    status('no camera/microphone: ' + e.message);
    $('join').disabled = false;
    return;
  }
  $('local-video').srcObject = local;
  const q = new URLSearchParams({ room: roomId, identity: identityFor(name), name });
  const res = await fetch('/v1/dev-token?' + q);
  const body = await res.json();
  if (!res.ok) { status('token: ' + (body.message || body.error)); stopLocal(); $('join').disabled = false; return; }
  const urls = params.get('signal') ? params.get('signal').split(',') : undefined;
  room = new Room({ room: roomId, token: body.token, urls, simulcast: params.get('simulcast') === '1',
    iceTransportPolicy: params.get('relay') === '1' ? 'relay' : 'all' });
  firstFrameAt = {};
  room.on('path-stream', ({ peerId, path, stream }) => attachPath(peerId, path, stream));
  room.on('track', ({ peerId, path }) => showPath(peerId, path));
  room.on('participant-left', ({ id, reason }) => {
    events.push({ type: 'participant-left', id, reason });
    $('tile-' + id)?.remove();
    renderParticipants();
  });
  room.on('participant-joined', (p) => { events.push({ type: 'participant-joined', id: p.id }); renderParticipants(); });
  room.on('active-speakers', ({ speakers }) => {
    // MCU rooms: mark who is in the mix right now
    document.querySelectorAll('#participants li').forEach((li) => li.classList.toggle('speaking', speakers.includes(li.dataset.id)));
    $('speakers').textContent = speakers.length ? 'speaking: ' + speakers.join(', ') : '';
  });
  room.on('topology', (t) => {
    $('topology').textContent = t.topology || '–';
    if (t.topology) {
      events.push({ type: 'topology', topology: t.topology, epoch: t.epoch, durationMs: t.durationMs, localMs: t.localMs,
        aborted: !!t.aborted, at: performance.now() });
      $('switch').textContent = t.aborted ? 'switch aborted: ' + t.reason
        : t.from ? 'switched ' + t.from + ' → ' + t.topology + ' in ' + t.durationMs + ' ms' : '';
    }
  });
  room.on('topology-changing', (t) => {
    events.push({ type: 'topology-changing', from: t.from, to: t.to, epoch: t.epoch, at: performance.now() });
    // Follow the switch in the event log: when each remote moved, and when our target path was ready.
    $('topology').textContent = t.from + ' → ' + t.to;
    $('switch').textContent = 'switching ' + t.from + ' → ' + t.to + '…';
  });
  room.on('topology-held', (t) => { events.push({ type: 'topology-held', reason: t.reason }); $('switch').textContent = t.reason; });
  room.on('remote-path', (p) => events.push({ type: 'remote-path', id: p.peerId, path: p.path, at: Math.round(performance.now()) }));
  room.on('topology-ready', (r) => events.push({ type: 'topology-ready', epoch: r.epoch, ms: r.ms }));
  room.on('path-closed', ({ peerId, path }) => {
    if (peerId === 'mix') $('tile-mix')?.remove(); // the room left MCU: no mix any more
    else $('tile-' + peerId)?.querySelector('video[data-path="' + path + '"]')?.remove();
  });
  room.on('signaling', (s) => events.push({ type: 'signaling', state: s.state, resumed: !!s.resumed, code: s.code }));
  room.on('peer-state', (s) => events.push({ type: 'peer-state', id: s.peerId, state: s.state, at: Math.round(performance.now()) }));
  room.on('ice-restart', (r) => events.push({ type: 'ice-restart', id: r.peerId, attempt: r.attempt }));
  room.on('error', (e) => { errors.push(e); console.warn('room error', e); });
  room.on('closed', (c) => { status('closed: ' + (room.lastError || c.reason)); leftUi(); });
  room.on('sfu-reset', (r) => { events.push({ type: 'sfu-reset' }); status(r.message); });
  try {
    const joined = await room.join(local);
    $('topology').textContent = joined.topology;
    $('leave').disabled = false;
    renderParticipants();
    status('joined');
  } catch (e) {
    status('join refused: ' + e.message);
    stopLocal();
    $('join').disabled = false;
  }
}

function leave() {
  if (!room) return;
  room.leave(); // stops the camera and microphone too
  events.push({ type: 'left' });
  leftUi();
  status('left');
}

function leftUi() {
  for (const tile of document.querySelectorAll('.tile.remote')) tile.remove();
  $('participants').replaceChildren();
  $('stats').querySelector('tbody').replaceChildren();
  $('topology').textContent = '–';
  $('switch').textContent = '';
  stopLocal();
  $('leave').disabled = true;
  $('join').disabled = false;
}

function stopLocal() {
  if (local) local.getTracks().forEach((t) => t.stop());
  $('local-video').srcObject = null;
}

/** A tile per remote participant, with one video element per media path (mesh, sfu): only the active one is seen and heard. */
function tileFor(peerId) {
  let tile = $('tile-' + peerId);
  if (!tile) {
    tile = document.createElement('figure');
    tile.className = 'tile remote';
    tile.id = 'tile-' + peerId;
    const caption = document.createElement('figcaption');
    caption.textContent = (room.participants.get(peerId) || { name: peerId }).name;
    tile.append(caption);
    $('videos').append(tile);
  }
  return tile;
}

function attachPath(peerId, path, stream) {
  const tile = tileFor(peerId);
  let video = tile.querySelector('video[data-path="' + path + '"]');
  if (!video) {
    video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true; // until this path is the one we show
    video.dataset.path = path;
    tile.prepend(video);
    watchFrames(peerId, video);
  }
  if (video.srcObject !== stream) video.srcObject = stream;
}

/** Makes {@code path} the visible, audible one for this remote (its video is already playing underneath). */
function showPath(peerId, path) {
  const tile = tileFor(peerId);
  for (const v of tile.querySelectorAll('video')) {
    const active = v.dataset.path === path;
    v.classList.toggle('inactive', !active);
    v.muted = !active;
  }
  tile.dataset.path = path;
  const caption = tile.querySelector('figcaption');
  caption.textContent = (room.participants.get(peerId) || { name: peerId }).name + ' · ' + path;
}

function watchFrames(peerId, video) {
  if (!video.requestVideoFrameCallback) return;
  const onFrame = (now) => {
    if (!video.isConnected) return;
    const key = peerId + '/' + video.dataset.path;
    (pathFrames[key] || (pathFrames[key] = [])).push(Math.round(now));
    if (room) room.pathPresented(peerId, video.dataset.path);
    if (!video.classList.contains('inactive') && !video.muted) {
      if (firstFrameAt[peerId] == null) firstFrameAt[peerId] = now;
      const log = frames[peerId] || (frames[peerId] = []);
      log.push(now);
      if (log.length > 20000) log.splice(0, 10000);
    }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}

function renderParticipants() {
  const ul = $('participants');
  ul.replaceChildren();
  const me = document.createElement('li');
  me.textContent = $('name').value + ' (you)';
  if (room.selfId) me.dataset.id = room.selfId;
  ul.append(me);
  for (const p of room.participants.values()) {
    const li = document.createElement('li');
    li.textContent = p.name;
    li.dataset.id = p.id;
    ul.append(li);
  }
}

function status(text) { $('status').textContent = text; }

/** A peer is "receiving" only when media arrived since the last sample; "connected" alone shows no picture. */
function peerState(s) {
  if (s.receiving) return 'receiving';
  return s.connectionState === 'connected' ? 'connected, no media' : (s.state || s.connectionState);
}

async function refreshStats() {
  if (!room || room.state !== 'joined') return;
  const stats = await room.stats();
  const rows = Object.entries(stats).map(([id, s]) => {
    const tr = document.createElement('tr');
    const path = s.localCandidateType ? s.localCandidateType + '→' + s.remoteCandidateType : '–';
    for (const v of [s.name, s.path, peerState(s), path, s.recvKbps ?? '–', s.sendKbps ?? '–', s.rttMs ?? '–', s.lossPercent ?? '–', s.videoFramesDecoded]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    return tr;
  });
  $('stats').querySelector('tbody').replaceChildren(...rows);
  const all = Object.values(stats);
  const receiving = all.filter((s) => s.receiving).length;
  if (room.state === 'joined' && room.signaling.joined) {
    status(all.length === 0 ? 'joined · alone in the room'
      : 'joined · ' + receiving + ' of ' + room.participants.size + ' receiving' + (receiving < room.participants.size ? ', others connecting' : ''));
  }
}
setInterval(refreshStats, 1000);

let doubleAudioMs = 0;
setInterval(() => {
  const playing = (v) => !v.muted && v.srcObject && v.srcObject.getAudioTracks().some((t) => t.enabled && t.readyState === 'live');
  const mixHeard = [...($('tile-mix')?.querySelectorAll('video') || [])].some(playing);
  for (const tile of document.querySelectorAll('.tile.remote')) {
    if (tile.id === 'tile-mix') continue;
    const audible = [...tile.querySelectorAll('video')].filter(playing);
    // twice: from two paths at once, or in the MCU's mix as well as on its own
    if (audible.length > 1 || (mixHeard && audible.length > 0)) doubleAudioMs += 10;
  }
}, 10);

$('join-form').addEventListener('submit', join);
$('leave').addEventListener('click', leave);

window.wrcDemo = {
  get room() { return room; },
  get local() { return local; },
  errors,
  events,
  pathFrames,
  async mediaReport() {
    if (!room) return { topology: null, peers: {} };
    const stats = await room.stats();
    const peers = {};
    for (const [id, s] of Object.entries(stats)) {
      peers[id] = { connectionState: s.connectionState, videoFramesDecoded: s.videoFramesDecoded,
        audioBytesReceived: s.audioBytesReceived, localCandidateType: s.localCandidateType,
        remoteCandidateType: s.remoteCandidateType, freezeCount: s.freezeCount, rttMs: s.rttMs,
        frameWidth: s.frameWidth, path: s.path };
    }
    return { topology: room.topology, selfId: room.selfId, state: room.state, signalingJoined: room.signaling.joined, peers };
  },
  firstFrameMs(peerId) {
    return firstFrameAt[peerId] == null ? null : Math.round(firstFrameAt[peerId] - joinStartedAt);
  },
  /**
   * Milliseconds during which some remote was audible from two paths at once, sampled every 10 ms since the
   * page loaded (the SDK and the page switch a remote's audio in one step, so this should stay 0).
   */
  get doubleAudioMs() { return doubleAudioMs; },
  /** Now, on the page clock (for frameGaps windows). */
  now() { return performance.now(); },
  /** Per remote: the longest time between two frames shown to the user since {@code sinceMs} (until {@code untilMs}, or now). */
  frameGaps(sinceMs, detail, untilMs) {
    const out = {};
    const now = untilMs == null ? performance.now() : Math.min(untilMs, performance.now());
    for (const [id, log] of Object.entries(frames)) {
      let prev = null;
      let longest = 0;
      let at = null;
      const gap = (from, to) => { if (to - from > longest) { longest = to - from; at = from; } };
      for (const t of log) {
        if (t < sinceMs) { prev = t; continue; }
        if (t > now) break;
        if (prev != null) gap(prev, t);
        prev = t;
      }
      if (prev != null) gap(prev, now);
      out[id] = detail ? { ms: Math.round(longest), at: Math.round(at) } : Math.round(longest);
    }
    return out;
  },
};

if (params.get('autojoin') === '1') join();
