package io.webrtccluster.sfu.room;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.webrtccluster.contracts.sfu.SfuOffer;
import io.webrtccluster.sfu.dtls.DtlsHandshake;
import io.webrtccluster.sfu.ice.IceCredentials;
import io.webrtccluster.sfu.ice.UdpEndpoint;
import io.webrtccluster.sfu.metrics.MediaMetrics;
import io.webrtccluster.sfu.rtcp.Rtcp;
import io.webrtccluster.sfu.rtcp.RtcpPacket;
import io.webrtccluster.sfu.rtp.RtpPacket;
import io.webrtccluster.sfu.sdp.Answer;
import io.webrtccluster.sfu.sdp.Codecs;
import io.webrtccluster.sfu.sdp.MediaSection;
import io.webrtccluster.sfu.sdp.OfferWriter;
import io.webrtccluster.sfu.srtp.SrtpSession;
import org.jboss.logging.Logger;

/**
 * One participant's PeerConnection with the worker: ICE-lite consent, DTLS-SRTP, the m-lines it
 * publishes on (mids 0 and 1) and those it receives others' tracks on, and the offer/answer state.
 */
public final class Transport implements UdpEndpoint.Peer {
    private static final Logger LOG = Logger.getLogger(Transport.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String AUDIO_MID = "0";
    static final String VIDEO_MID = "1";
    static final long CONSENT_TIMEOUT_MS = 30_000;

    final Router router;
    final String participantId;
    final IceCredentials ice = IceCredentials.random();
    final boolean simulcast;
    final boolean autoSubscribe;
    final long rtcpSsrc = (RANDOM.nextInt() & 0x7fffffffL) | 1;
    private final long sessionId = RANDOM.nextLong() & Long.MAX_VALUE;

    private final List<MediaSection> sections = new ArrayList<>();
    /** Closed m-lines the browser has answered as closed: new ones take their place (JSEP recycling, with a new mid). */
    private final java.util.Set<String> recyclable = new java.util.LinkedHashSet<>();
    /** The m-lines the outstanding offer closes: recyclable once it is answered. */
    private java.util.Set<String> closing = java.util.Set.of();
    private final Map<String, Consumer> consumersByMid = new ConcurrentHashMap<>();
    private final Map<Long, Consumer> consumersBySsrc = new ConcurrentHashMap<>();
    private final Map<Long, Layer> layersBySsrc = new ConcurrentHashMap<>();
    private final Map<Long, String> announcedSsrcMids = new ConcurrentHashMap<>();
    volatile Producer audio;
    volatile Producer video;
    /** The mixed audio this participant receives while its room mixes; null otherwise. */
    volatile MixConsumer mix;
    private int nextMid = 2;

    private volatile InetSocketAddress remote;
    private volatile long lastConsentMs;
    private volatile boolean consentExpired;
    private final CompletableFuture<String> remoteFingerprint = new CompletableFuture<>();
    private DtlsHandshake dtls;
    private volatile SrtpSession decrypt;
    private volatile SrtpSession encrypt;
    private final Object encryptLock = new Object();
    private volatile boolean closed;

    private long version;
    private boolean awaitingAnswer;
    private boolean renegotiationNeeded;
    private SfuOffer currentOffer;

    Transport(Router router, String participantId, boolean simulcast, boolean autoSubscribe) {
        this.router = router;
        this.participantId = participantId;
        this.simulcast = simulcast;
        this.autoSubscribe = autoSubscribe;
        List<String> rids = simulcast ? router.config().simulcastRids() : List.of();
        sections.add(new MediaSection(AUDIO_MID, "audio", "recvonly", 0, null, null, List.of()));
        sections.add(new MediaSection(VIDEO_MID, "video", "recvonly", 0, null, null, rids));
        if (router.mixing()) {
            addMix();
        }
    }

    /** The room started mixing: an m-line for the mix (the next offer carries it); the existing one if there is one. */
    synchronized MixConsumer addMix() {
        if (mix == null) {
            String mid = Integer.toString(nextMid++);
            MixConsumer m = new MixConsumer(this, mid);
            place(new MediaSection(mid, "audio", "sendonly", m.ssrc, MixConsumer.STREAM_ID, MixConsumer.TRACK_ID, List.of()));
            mix = m;
        }
        return mix;
    }

    /** The room stopped mixing: the mix's m-line closes (the next offer rejects it); the removed mix, or null. */
    synchronized MixConsumer removeMix() {
        MixConsumer m = mix;
        if (m != null) {
            mix = null;
            closeSection(m.mid);
        }
        return m;
    }

    // ---- offer / answer ----

    /** Makes the next offer, or notes that one is due once the outstanding offer is answered. */
    synchronized SfuOffer nextOffer() {
        if (closed) {
            return null;
        }
        if (awaitingAnswer) {
            renegotiationNeeded = true;
            return null;
        }
        version++;
        awaitingAnswer = true;
        renegotiationNeeded = false;
        RouterConfig c = router.config();
        String sdp = OfferWriter.write(sessionId, version,
                new OfferWriter.Transport(ice.ufrag(), ice.pwd(), DtlsHandshake.localFingerprint(), c.announcedAddress(), c.port()),
                List.copyOf(sections));
        currentOffer = SfuOffer.of(sdp, version);
        closing = sections.stream().filter(MediaSection::closed).map(MediaSection::mid)
                .collect(java.util.stream.Collectors.toSet());
        return currentOffer;
    }

    /** The offer the browser has not answered yet, or null. */
    public synchronized SfuOffer outstandingOffer() {
        return awaitingAnswer ? currentOffer : null;
    }

    /** What applying an answer changed, for the router to act on outside this transport's lock. */
    record AnswerOutcome(List<Producer> newProducers, List<Consumer> newlyNegotiated, boolean renegotiate) {
    }

    synchronized AnswerOutcome applyAnswer(String sdp, long answeredVersion) {
        if (!awaitingAnswer || (answeredVersion > 0 && answeredVersion != version)) {
            throw new IllegalStateException("no offer version " + answeredVersion + " is waiting for an answer (current "
                    + version + ", awaiting=" + awaitingAnswer + ")");
        }
        Answer a = Answer.parse(sdp);
        if (a.fingerprint() == null) {
            throw new IllegalArgumentException("answer has no sha-256 fingerprint");
        }
        if ("passive".equals(a.setup())) {
            // The worker only runs the DTLS server side; an answerer must take a=setup:active.
            throw new IllegalArgumentException("answer has a=setup:passive; the worker is the DTLS server, answer with a=setup:active");
        }
        if (!remoteFingerprint.isDone()) {
            remoteFingerprint.complete(a.fingerprint());
        }
        List<Producer> created = new ArrayList<>();
        Answer.Section au = a.section(AUDIO_MID);
        if (audio == null && sends(au)) {
            audio = new Producer(this, "audio", AUDIO_MID, List.of());
            created.add(audio);
            au.ssrcs().forEach(s -> announcedSsrcMids.put(s, AUDIO_MID));
        }
        Answer.Section vi = a.section(VIDEO_MID);
        if (video == null && sends(vi)) {
            List<String> rids = simulcast && !vi.rids().isEmpty() ? router.config().simulcastRids() : List.of();
            video = new Producer(this, "video", VIDEO_MID, rids);
            created.add(video);
            if (rids.isEmpty()) {
                vi.ssrcs().stream().findFirst().ifPresent(s -> announcedSsrcMids.put(s, VIDEO_MID));
            }
        }
        MixConsumer mx = mix;
        if (mx != null) {
            Answer.Section m = a.section(mx.mid);
            mx.negotiated = m != null && m.port() != 0 && !"inactive".equals(m.direction());
        }
        List<Consumer> negotiated = new ArrayList<>();
        for (Consumer c : consumersByMid.values()) {
            Answer.Section s = a.section(c.mid);
            boolean ok = s != null && s.port() != 0 && !"inactive".equals(s.direction());
            if (ok && !c.negotiated) {
                c.negotiated = true;
                negotiated.add(c);
            }
        }
        awaitingAnswer = false;
        recyclable.addAll(closing);
        closing = java.util.Set.of();
        return new AnswerOutcome(created, negotiated, renegotiationNeeded);
    }

    /** The browser sends on this m-line: a sending direction and a stream to show for it (SSRCs or simulcast rids). */
    private static boolean sends(Answer.Section s) {
        return s != null && s.port() != 0 && ("sendonly".equals(s.direction()) || "sendrecv".equals(s.direction()))
                && (!s.ssrcs().isEmpty() || !s.rids().isEmpty());
    }

    synchronized Consumer addConsumer(Producer p) {
        for (Consumer c : consumersByMid.values()) {
            if (c.producer == p) {
                return null;
            }
        }
        String mid = Integer.toString(nextMid++);
        Consumer c = new Consumer(this, p, mid);
        consumersByMid.put(mid, c);
        consumersBySsrc.put(c.ssrc, c);
        place(new MediaSection(mid, p.kind, "sendonly", c.ssrc, p.owner.participantId, p.trackId, List.of()));
        p.consumers.add(c);
        return c;
    }

    synchronized boolean removeConsumer(Consumer c) {
        if (consumersByMid.remove(c.mid) == null) {
            return false;
        }
        consumersBySsrc.remove(c.ssrc);
        c.producer.consumers.remove(c);
        closeSection(c.mid);
        return true;
    }

    /**
     * A new m-line takes the place of a closed one of its kind, if the browser has answered that closure, else
     * goes at the end: the offer stays as long as what is live, however many streams came and went (participants
     * leaving, or a room switching between SFU and MCU, which closes and reopens audio m-lines).
     */
    private void place(MediaSection section) {
        for (int i = 0; i < sections.size(); i++) {
            MediaSection old = sections.get(i);
            if (recyclable.contains(old.mid()) && old.kind().equals(section.kind())) {
                recyclable.remove(old.mid());
                sections.set(i, section);
                return;
            }
        }
        sections.add(section);
    }

    private void closeSection(String mid) {
        for (int i = 0; i < sections.size(); i++) {
            if (sections.get(i).mid().equals(mid)) {
                sections.set(i, sections.get(i).close());
            }
        }
    }

    List<Consumer> consumers() {
        return List.copyOf(consumersByMid.values());
    }

    List<Producer> producers() {
        List<Producer> ps = new ArrayList<>();
        if (audio != null) {
            ps.add(audio);
        }
        if (video != null) {
            ps.add(video);
        }
        return ps;
    }

    // ---- ICE ----

    @Override
    public String icePassword() {
        return ice.pwd();
    }

    @Override
    public void onConsent(InetSocketAddress from, boolean nominated) {
        lastConsentMs = System.currentTimeMillis();
        consentExpired = false;
        if (nominated || remote == null) {
            remote = from;
        }
    }

    /** RFC 7675: stop sending to a browser that stopped answering for longer than the consent timeout. */
    void checkConsent(long now) {
        if (remote != null && !consentExpired && now - lastConsentMs > CONSENT_TIMEOUT_MS) {
            consentExpired = true;
            LOG.infof("consent expired for %s/%s", router.roomId, participantId);
        }
    }

    // ---- DTLS ----

    @Override
    public void onDtls(byte[] datagram) {
        DtlsHandshake d;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (dtls == null) {
                dtls = new DtlsHandshake(out -> router.endpoint().send(out, remote));
                dtls.start(router.roomId + "-" + participantId, this::awaitRemoteFingerprint, this::onDtlsConnected,
                        e -> LOG.warnf("DTLS with %s/%s failed: %s", router.roomId, participantId, e.toString()));
            }
            d = dtls;
        }
        d.offer(datagram);
    }

    private String awaitRemoteFingerprint() {
        try {
            return remoteFingerprint.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    private void onDtlsConnected(DtlsHandshake.Keys keys) {
        SrtpSession[] s = SrtpSession.fromKeyingMaterial(keys.profile(), keys.keyingMaterial(), true);
        if (io.webrtccluster.sfu.ice.Capture.enabled()) {
            io.webrtccluster.sfu.ice.Capture.record("srtp-keys-" + keys.profile(), participantId, keys.keyingMaterial(),
                    keys.keyingMaterial().length);
        }
        decrypt = s[0];
        encrypt = s[1];
        LOG.infof("%s/%s connected (%s)", router.roomId, participantId, keys.profile());
        router.onConnected(this);
    }

    boolean srtpReady() {
        return encrypt != null;
    }

    String connectionState() {
        if (consentExpired) {
            return "failed";
        }
        return srtpReady() ? "connected" : "new";
    }

    // ---- SRTP in ----

    @Override
    public void onSrtp(byte[] buf, int length, boolean rtcp, long receivedNanos) {
        SrtpSession d = decrypt;
        if (d == null) {
            MediaMetrics.get().dropped("srtp-before-dtls");
            return;
        }
        if (io.webrtccluster.sfu.ice.Capture.enabled()) {
            io.webrtccluster.sfu.ice.Capture.record((rtcp ? "srtcp-" : "srtp-") + d.profileName(), participantId, buf, length);
        }
        SrtpSession.Buffer b = new SrtpSession.Buffer(buf, 0, length);
        long now = System.currentTimeMillis();
        if (rtcp) {
            int n = d.unprotectRtcp(b);
            if (n < 0) {
                MediaMetrics.get().dropped("srtcp-auth");
                return;
            }
            onRtcp(Rtcp.parse(b.getBuffer(), n), now);
            return;
        }
        int n = d.unprotectRtp(b);
        if (n < 0) {
            MediaMetrics.get().dropped("srtp-auth");
            return;
        }
        RtpPacket p = RtpPacket.parse(b.getBuffer(), n);
        Layer layer = layersBySsrc.get(p.ssrc());
        if (layer == null) {
            layer = placeNewStream(p);
            if (layer == null) {
                MediaMetrics.get().dropped("rtp-unknown-stream");
                return;
            }
        }
        MediaMetrics.get().received(length);
        layer.producer.onPacket(layer, p, now, receivedNanos);
    }

    private Layer placeNewStream(RtpPacket p) {
        String mid = p.stringExtension(Codecs.EXT_MID);
        if (mid == null) {
            mid = announcedSsrcMids.get(p.ssrc());
        }
        Producer producer = AUDIO_MID.equals(mid) ? audio : VIDEO_MID.equals(mid) ? video : null;
        if (producer == null) {
            return null;
        }
        String rid = producer.rids.isEmpty() ? null : p.stringExtension(Codecs.EXT_RID);
        if (!producer.rids.isEmpty() && rid == null) {
            return null;
        }
        Layer layer = producer.layerFor(p.ssrc(), rid);
        if (layer != null) {
            layersBySsrc.put(p.ssrc(), layer);
            router.onLayerStarted(producer);
        }
        return layer;
    }

    private void onRtcp(List<RtcpPacket> packets, long now) {
        for (RtcpPacket r : packets) {
            if (r instanceof RtcpPacket.SenderReport sr) {
                Layer l = layersBySsrc.get(sr.ssrc());
                if (l != null) {
                    l.stats.onSenderReport(sr.ntpTimestamp(), now);
                }
                sr.reports().forEach(rb -> onReportBlock(rb, now));
            } else if (r instanceof RtcpPacket.ReceiverReport rr) {
                rr.reports().forEach(rb -> onReportBlock(rb, now));
            } else if (r instanceof RtcpPacket.Pli pli) {
                Consumer c = consumersBySsrc.get(pli.mediaSsrc());
                if (c != null) {
                    c.onKeyframeRequest();
                }
            } else if (r instanceof RtcpPacket.Fir fir) {
                fir.mediaSsrcs().forEach(s -> {
                    Consumer c = consumersBySsrc.get(s);
                    if (c != null) {
                        c.onKeyframeRequest();
                    }
                });
            } else if (r instanceof RtcpPacket.Nack nack) {
                Consumer c = consumersBySsrc.get(nack.mediaSsrc());
                if (c != null && router.config().downstreamNack()) {
                    c.onNack(nack.lost());
                }
            }
        }
    }

    private void onReportBlock(RtcpPacket.ReportBlock rb, long now) {
        Consumer c = consumersBySsrc.get(rb.ssrc());
        if (c != null) {
            c.onReportBlock(rb, now);
        }
    }

    // ---- SRTP out ----

    /** Encrypts and sends the plain RTP packet held in this thread's {@link OutgoingRtp} (the first {@code length} bytes). */
    void sendRtp(OutgoingRtp scratch, int length) {
        SrtpSession e = encrypt;
        InetSocketAddress to = remote;
        if (e == null || to == null || consentExpired || closed) {
            return;
        }
        SrtpSession.Buffer buf = scratch.plain(length);
        boolean ok;
        synchronized (encryptLock) {
            ok = e.protectRtp(buf);
        }
        if (ok) {
            router.endpoint().send(buf.getBuffer(), buf.getOffset(), buf.getLength(), to);
            MediaMetrics.get().sent(buf.getLength());
        }
    }

    void sendRtcp(List<? extends RtcpPacket> packets) {
        SrtpSession e = encrypt;
        InetSocketAddress to = remote;
        if (e == null || to == null || packets.isEmpty() || consentExpired || closed) {
            return;
        }
        byte[] out;
        synchronized (encryptLock) {
            out = e.protectRtcp(Rtcp.compound(packets));
        }
        if (out != null) {
            router.endpoint().send(out, to);
        }
    }

    void sendPli(long mediaSsrc) {
        sendRtcp(List.of(new RtcpPacket.Pli(rtcpSsrc, mediaSsrc)));
    }

    /** Once a second: receiver reports and REMB to the publisher, sender reports to the subscriber. */
    void sendReports(long now) {
        List<RtcpPacket> out = new ArrayList<>();
        List<RtcpPacket.ReportBlock> blocks = new ArrayList<>();
        List<Long> videoSsrcs = new ArrayList<>();
        for (Producer p : producers()) {
            for (Layer l : p.layers.values()) {
                if (l.stats.started()) {
                    blocks.add(l.stats.reportBlock(now));
                    if (p.video()) {
                        videoSsrcs.add(l.ssrc);
                    }
                }
            }
        }
        for (Consumer c : consumers()) {
            RtcpPacket.SenderReport sr = c.senderReport(now);
            if (sr != null) {
                out.add(sr);
            }
        }
        MixConsumer mx = mix;
        if (mx != null) {
            RtcpPacket.SenderReport sr = mx.senderReport(now);
            if (sr != null) {
                out.add(sr);
            }
        }
        // RFC 3550 compound: a report first. Up to 31 blocks per RR is plenty for one publisher's streams.
        out.add(0, new RtcpPacket.ReceiverReport(rtcpSsrc, blocks.size() > 31 ? blocks.subList(0, 31) : blocks));
        if (!videoSsrcs.isEmpty()) {
            out.add(new RtcpPacket.Remb(rtcpSsrc, router.config().rembBps(), videoSsrcs));
        }
        sendRtcp(out);
    }

    /** Every few tens of milliseconds: NACK what the publisher's uplink lost. */
    void sendUpstreamNacks(long now) {
        Producer v = video;
        if (v == null) {
            return;
        }
        for (Layer l : v.layers.values()) {
            List<Integer> due = l.nacks.due(now);
            if (!due.isEmpty()) {
                sendRtcp(List.of(new RtcpPacket.ReceiverReport(rtcpSsrc, List.of()), new RtcpPacket.Nack(rtcpSsrc, l.ssrc, due)));
                MediaMetrics.get().nackSent(due.size());
            }
        }
    }

    void close() {
        DtlsHandshake d;
        synchronized (this) {
            closed = true;
            d = dtls;
        }
        if (d != null) {
            d.close();
        }
        remoteFingerprint.complete(null);
    }
}
