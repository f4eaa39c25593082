// Per-remote media numbers from getStats(): what arrived, what was decoded, and the path it took.

/**
 * One remote participant's numbers: inbound from {@code reports}, transport and path from {@code pcReport}.
 * {@code view} keeps the previous sample so rates (kbit/s, loss %) cover the time since the last call.
 */
export function collect(view, pc, pcReport, reports) {
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
    // "Receiving" means frames or audio actually arrived since the last sample, not just a connected transport.
    s.receiving = s.videoFramesDecoded > view.lastStats.videoFramesDecoded || s.audioBytesReceived > view.lastStats.audioBytesReceived;
  } else {
    s.receiving = s.videoFramesDecoded > 0 || s.audioBytesReceived > 0;
  }
  view.lastStats = { at: now, bytesReceived: s.bytesReceived, bytesSent: s.bytesSent, packetsLost: s.packetsLost,
    packetsReceived: s.packetsReceived, videoFramesDecoded: s.videoFramesDecoded, audioBytesReceived: s.audioBytesReceived };
  return s;
}
