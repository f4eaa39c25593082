package io.webrtccluster.natlab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import io.webrtccluster.testing.Chromium;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Headless Chromium living in a lab client namespace. chromedriver stays on the host and drives it over
 * {@code --remote-debugging-pipe} (inherited file descriptors survive {@code ip netns exec}), because a DevTools TCP
 * port would sit on the namespace's own loopback, out of chromedriver's reach.
 */
final class LabBrowser implements AutoCloseable {
    private final ChromeDriver driver;

    private LabBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** @param origins plain-http lab origins to treat as secure (getUserMedia needs a secure context) */
    static LabBrowser open(NetNamespace ns, List<String> origins) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "natlab"));
            Path wrapper = dir.resolve(ns.name() + "-chromium.sh");
            Files.writeString(wrapper, "#!/bin/sh\nexec ip netns exec " + ns.name() + " /usr/bin/chromium \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
            ChromeDriver driver = Chromium.launch(wrapper.toAbsolutePath(), List.of("--remote-debugging-pipe",
                    "--unsafely-treat-insecure-origin-as-secure=" + String.join(",", origins)));
            return new LabBrowser(driver);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void open(String url) {
        driver.get(url);
    }

    /** {@code window.wrcDemo.mediaReport()} of the demo page. */
    @SuppressWarnings("unchecked")
    Map<String, Object> mediaReport() {
        Object r = driver.executeScript("return window.wrcDemo ? window.wrcDemo.mediaReport() : null");
        return r == null ? Map.of() : (Map<String, Object>) r;
    }

    Long firstFrameMs(String peerId) {
        Object r = driver.executeScript("return window.wrcDemo.firstFrameMs(arguments[0])", peerId);
        return r == null ? null : ((Number) r).longValue();
    }

    /** Page status, errors and the raw report: what to look at when a cell fails. */
    String debug() {
        Object r = driver.executeScript("const room = window.wrcDemo && window.wrcDemo.room;"
                + " const pcs = room ? [...room.peers.entries()].map(([id, p]) => ({id, signaling: p.pc.signalingState,"
                + " gathering: p.pc.iceGatheringState, ice: p.pc.iceConnectionState, local: !!p.pc.localDescription,"
                + " remote: !!p.pc.remoteDescription})) : [];"
                + " return JSON.stringify({url: location.href, status: document.getElementById('status')?.textContent,"
                + " errors: window.wrcDemo ? window.wrcDemo.errors : 'no wrcDemo', pcs})");
        return r + " report=" + mediaReport();
    }

    /** Local ICE candidates gathered so far by the peer connection(s) of the page; -1 before there is one. */
    long localCandidates() {
        Object r = driver.executeScript("return (async () => { const room = window.wrcDemo && window.wrcDemo.room;"
                + " if (!room || room.peers.size === 0) return -1; let n = 0;"
                + " for (const p of room.peers.values()) { (await p.pc.getStats()).forEach(s => { if (s.type === 'local-candidate') n++; }); }"
                + " return n; })()");
        return ((Number) r).longValue();
    }

    /** The selected candidate pair's counters (RTT totals, bytes) of the page's first peer connection. */
    @SuppressWarnings("unchecked")
    Map<String, Object> selectedPair() {
        Object r = driver.executeScript("return (async () => { const room = window.wrcDemo && window.wrcDemo.room;"
                + " if (!room || room.peers.size === 0) return null; const p = room.peers.values().next().value;"
                + " const st = await p.pc.getStats(); let pair = null;"
                + " st.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = st.get(s.selectedCandidatePairId); });"
                + " if (!pair) return null; const l = st.get(pair.localCandidateId), rc = st.get(pair.remoteCandidateId);"
                + " return {rttTotal: pair.totalRoundTripTime, responses: pair.responsesReceived, bytesSent: pair.bytesSent,"
                + " bytesReceived: pair.bytesReceived, local: l && l.candidateType, remote: rc && rc.candidateType}; })()");
        return r == null ? Map.of() : (Map<String, Object>) r;
    }

    /** Candidates and candidate pairs of every peer connection (getStats), for a failing cell's log. */
    String iceStats() {
        Object r = driver.executeScript("return (async () => { const room = window.wrcDemo && window.wrcDemo.room; if (!room) return 'no room';"
                + " const out = []; for (const [id, p] of room.peers) { const st = await p.pc.getStats(); const rows = [];"
                + " st.forEach(s => { if (s.type === 'local-candidate' || s.type === 'remote-candidate') rows.push(s.type + ' ' + s.candidateType + ' ' + s.address + ':' + s.port + ' ' + s.protocol + (s.url ? ' ' + s.url : ''));"
                + " if (s.type === 'candidate-pair') rows.push('pair ' + s.state + ' nominated=' + s.nominated + ' req=' + s.requestsSent + ' resp=' + s.responsesReceived); });"
                + " out.push(id + ':\\n  ' + rows.join('\\n  ')); } return out.join('\\n'); })()");
        return String.valueOf(r);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
