// A script body run in a page served by signaling (WebDriver awaits the promise it returns): joins room
// arguments[0] as arguments[1] through the SDK, publishing a pure tone of arguments[2] Hz as its microphone
// (no camera), and listens like a user: every remote audio track the SDK hands over plays (through a muted
// element: Chromium only pulls remote audio that is played) into one "ear", an AnalyserNode. A disabled
// track is silent in the ear, so the ear hears what the user would. Two monitors run every 10 ms:
// heard twice (the mix enabled while a speaker's own track is too) and the ear's longest silence.
// Resolves to the participant id, or 'error: ...'.
const [roomId, name, tone] = arguments;
return (async () => {
  const { Room } = await import('/sdk/v1/webrtc-cluster.js');
  const ctx = new AudioContext();
  const osc = ctx.createOscillator();
  osc.frequency.value = tone;
  const gain = ctx.createGain();
  gain.gain.value = 0.2;
  const mic = ctx.createMediaStreamDestination();
  osc.connect(gain).connect(mic);
  osc.start();
  const res = await fetch('/v1/dev-token?' + new URLSearchParams({ room: roomId, identity: name, name }));
  const body = await res.json();
  if (!res.ok) throw new Error('token: ' + (body.message || body.error));
  const room = new Room({ room: roomId, token: body.token });
  const ear = ctx.createAnalyser();
  ear.fftSize = 4096;
  ear.smoothingTimeConstant = 0;
  const t = window.liveTest = { room, errors: [], switches: [], activeSpeakers: [], tracks: new Map(),
    heardTwiceMs: 0, silence: { since: null, longest: 0 } };
  room.on('error', (e) => t.errors.push(e.message));
  room.on('active-speakers', ({ speakers }) => t.activeSpeakers.push(speakers));
  room.on('topology', (e) => {
    if (e.topology) t.switches.push({ to: e.topology, from: e.from || null, aborted: !!e.aborted, ms: e.durationMs });
  });
  room.on('path-stream', ({ peerId, track }) => {
    if (track.kind !== 'audio' || t.tracks.has(track)) return; // (by object: a track's id may come back)
    const stream = new MediaStream([track]);
    const el = new Audio();
    el.muted = true;
    el.srcObject = stream;
    el.play().catch(() => {});
    ctx.createMediaStreamSource(stream).connect(ear);
    t.tracks.set(track, { peerId, track, el });
  });
  const live = (x) => x.track.enabled && x.track.readyState === 'live';
  const wave = new Float32Array(1024);
  setInterval(() => {
    const tracks = [...t.tracks.values()];
    if (tracks.some((x) => x.peerId === 'mix' && live(x)) && tracks.some((x) => x.peerId !== 'mix' && live(x))) t.heardTwiceMs += 10;
    ear.getFloatTimeDomainData(wave);
    let peak = 0;
    for (let i = wave.length - 441; i < wave.length; i++) peak = Math.max(peak, Math.abs(wave[i])); // the last 10 ms
    const now = performance.now();
    if (peak < 0.01) {
      if (t.silence.since == null) t.silence.since = now;
      t.silence.longest = Math.max(t.silence.longest, now - t.silence.since);
    } else {
      t.silence.since = null;
    }
  }, 10);
  /** Starts a new measurement of the ear's longest silence (and of audio heard twice). */
  t.resetEar = () => { t.silence = { since: null, longest: 0 }; t.heardTwiceMs = 0; };
  /** Live receive-side audio m-lines of the media server connection: [own streams of speakers, mixes]. */
  t.audioReceivers = () => {
    const own = room.sfu ? [...room.sfu.remotes.keys()].filter((id) => id !== 'mix')
      .reduce((n, id) => n + room.sfu.liveReceivers(id, 'audio').length, 0) : 0;
    return [own, room.sfu ? room.sfu.liveReceivers('mix', 'audio').length : 0];
  };
  /** m-lines in the worker's latest offer (closed ones included): what each switch would add without recycling. */
  t.mLines = () => (room.sfu && room.sfu.pc && room.sfu.pc.remoteDescription
    ? room.sfu.pc.remoteDescription.sdp.split('\r\nm=').length - 1 : 0);
  /** dB at each frequency in the ear: the strongest FFT bin within ±2 bins. */
  t.spectrum = (freqs) => {
    const bins = new Float32Array(ear.frequencyBinCount);
    ear.getFloatFrequencyData(bins);
    const hz = ctx.sampleRate / ear.fftSize;
    const out = {};
    for (const f of freqs) {
      const c = Math.round(f / hz);
      let best = -Infinity;
      for (let i = Math.max(0, c - 2); i <= Math.min(bins.length - 1, c + 2); i++) best = Math.max(best, bins[i]);
      out[f] = best === -Infinity ? -999 : best;
    }
    return out;
  };
  await room.join(mic.stream);
  return room.selfId;
})().catch((e) => 'error: ' + e);
