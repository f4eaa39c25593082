// The demo page: join a room by name, show local/remote video, participants, topology and per-peer
// stats each second. Query parameters: room, name, autojoin=1, signal=<comma-separated ws URLs>,
// simulcast=1 (SFU rooms), relay=1 (TURN only).
// Tests read window.wrcDemo.mediaReport() and window.wrcDemo.firstFrameMs(peerId).
import { Room } from '/sdk/v1/webrtc-cluster.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let room = null;
let joinStartedAt = 0;
const firstFrameAt = {};
const errors = [];
const events = []; // participant-joined/left and signaling state changes, for tests and the curious

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
  $('join').disabled = true;
  status('getting camera…');
  const local = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
  $('local-video').srcObject = local;
  const q = new URLSearchParams({ room: roomId, identity: identityFor(name), name });
  const res = await fetch('/v1/dev-token?' + q);
  const body = await res.json();
  if (!res.ok) { status('token: ' + body.error); $('join').disabled = false; return; }
  const urls = params.get('signal') ? params.get('signal').split(',') : undefined;
  room = new Room({ room: roomId, token: body.token, urls, simulcast: params.get('simulcast') === '1',
    iceTransportPolicy: params.get('relay') === '1' ? 'relay' : 'all' });
  room.on('track', ({ peerId, stream }) => showRemote(peerId, stream));
  room.on('participant-left', ({ id, reason }) => {
    events.push({ type: 'participant-left', id, reason });
    document.getElementById('tile-' + id)?.remove();
    renderParticipants();
  });
  room.on('participant-joined', (p) => { events.push({ type: 'participant-joined', id: p.id }); renderParticipants(); });
  room.on('topology', ({ topology }) => { $('topology').textContent = topology; });
  room.on('active-speakers', ({ speakers }) => {
    // MCU rooms: mark who is in the mix right now
    document.querySelectorAll('#participants li').forEach((li) => li.classList.toggle('speaking', speakers.includes(li.dataset.id)));
    $('speakers').textContent = speakers.length ? 'speaking: ' + speakers.join(', ') : '';
  });
  room.on('signaling', (s) => events.push({ type: 'signaling', state: s.state, resumed: !!s.resumed, code: s.code }));
  room.on('signaling', (s) => status(s.state === 'connected' ? (s.resumed ? 'resumed session' : 'connected') : 'signaling ' + s.state));
  room.on('error', (e) => { errors.push(e); console.warn('room error', e); });
  room.on('closed', (c) => status('closed: ' + (room.lastError || c.reason)));
  room.on('sfu-reset', (r) => { events.push({ type: 'sfu-reset' }); status(r.message); });
  joinStartedAt = performance.now();
  try {
    const joined = await room.join(local);
    $('topology').textContent = joined.topology;
    $('leave').disabled = false;
    renderParticipants();
  } catch (e) {
    status('join refused: ' + e.message);
    $('join').disabled = false;
  }
}

function showRemote(peerId, stream) {
  let tile = document.getElementById('tile-' + peerId);
  if (!tile) {
    tile = document.createElement('figure');
    tile.className = 'tile';
    tile.id = 'tile-' + peerId;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement('figcaption');
    caption.textContent = (room.participants.get(peerId) || { name: peerId }).name;
    tile.append(video, caption);
    $('videos').append(tile);
    const onFrame = () => { if (firstFrameAt[peerId] == null) firstFrameAt[peerId] = performance.now(); };
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(onFrame);
  }
  tile.querySelector('video').srcObject = stream;
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

async function refreshStats() {
  if (!room) return;
  const stats = await room.stats();
  const rows = Object.entries(stats).map(([id, s]) => {
    const tr = document.createElement('tr');
    const path = s.localCandidateType ? s.localCandidateType + '→' + s.remoteCandidateType : '–';
    for (const v of [s.name, s.connectionState, path, s.recvKbps ?? '–', s.sendKbps ?? '–', s.rttMs ?? '–', s.lossPercent ?? '–', s.videoFramesDecoded]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    return tr;
  });
  $('stats').querySelector('tbody').replaceChildren(...rows);
}
setInterval(refreshStats, 1000);

$('join-form').addEventListener('submit', join);
$('leave').addEventListener('click', () => { room.leave(); status('left'); $('leave').disabled = true; $('join').disabled = false; });

window.wrcDemo = {
  get room() { return room; },
  errors,
  events,
  async mediaReport() {
    if (!room) return { topology: null, peers: {} };
    const stats = await room.stats();
    const peers = {};
    for (const [id, s] of Object.entries(stats)) {
      peers[id] = { connectionState: s.connectionState, videoFramesDecoded: s.videoFramesDecoded,
        audioBytesReceived: s.audioBytesReceived, localCandidateType: s.localCandidateType,
        remoteCandidateType: s.remoteCandidateType, freezeCount: s.freezeCount, rttMs: s.rttMs,
        frameWidth: s.frameWidth };
    }
    return { topology: room.topology, selfId: room.selfId, signalingJoined: room.signaling.joined, peers };
  },
  firstFrameMs(peerId) {
    return firstFrameAt[peerId] == null ? null : Math.round(firstFrameAt[peerId] - joinStartedAt);
  },
};

if (params.get('autojoin') === '1') join();
