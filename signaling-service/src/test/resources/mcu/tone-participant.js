// A script body run in a page served by signaling (WebDriver awaits the promise it returns): joins room
// arguments[0] as arguments[1] through the SDK, publishing a pure tone of arguments[2] Hz as its microphone
// (no camera), and records what the SDK hands the app: audio 'track' events and 'active-speakers' events.
// Each received audio stream feeds an AnalyserNode (through a muted audio element: Chromium only pulls
// remote audio that is played). Resolves to the participant id, or 'error: ...'.
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
  const t = window.mcuTest = { room, audioTracks: [], activeSpeakers: [], errors: [], analysers: {} };
  room.on('error', (e) => t.errors.push(e.message));
  room.on('active-speakers', ({ speakers }) => t.activeSpeakers.push(speakers));
  room.on('track', ({ peerId, track, stream, mixed }) => {
    if (!stream || stream.getAudioTracks().length === 0 || t.analysers[peerId]) return;
    t.audioTracks.push({ peerId, mixed: !!mixed });
    const el = new Audio();
    el.muted = true;
    el.srcObject = stream;
    el.play().catch(() => {});
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 4096;
    analyser.smoothingTimeConstant = 0;
    ctx.createMediaStreamSource(stream).connect(analyser);
    t.analysers[peerId] = { el, analyser };
  });
  /** Live receive-side audio m-lines of the SFU connection. */
  t.audioReceivers = () => (room.sfu && room.sfu.pc ? room.sfu.pc.getTransceivers() : []).filter((x) =>
    x.receiver.track.kind === 'audio' && (x.currentDirection === 'recvonly' || x.currentDirection === 'sendrecv')).length;
  /** dB at each frequency of what arrives from peerId: the strongest FFT bin within ±2 bins. */
  t.spectrum = (peerId, freqs) => {
    const a = t.analysers[peerId];
    if (!a) return null;
    const bins = new Float32Array(a.analyser.frequencyBinCount);
    a.analyser.getFloatFrequencyData(bins);
    const hz = ctx.sampleRate / a.analyser.fftSize;
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
