package io.webrtccluster.sfu.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.webrtccluster.contracts.sfu.SfuOffer;
import io.webrtccluster.contracts.sfu.WorkerStats;
import io.webrtccluster.sfu.ice.UdpEndpoint;
import io.webrtccluster.sfu.metrics.MediaMetrics;
import io.webrtccluster.sfu.mixer.MixClock;
import io.webrtccluster.sfu.mixer.MixConfig;
import io.webrtccluster.sfu.mixer.RoomMix;
import org.jboss.logging.Logger;

/**
 * A room on this worker: its participants' transports, and who consumes whose producers. Membership
 * changes renegotiate every affected participant (a new offer, delivered through the {@link OfferSink}).
 */
public final class Router {
    private static final Logger LOG = Logger.getLogger(Router.class);

    final String roomId;
    private final RouterConfig config;
    private final UdpEndpoint endpoint;
    private final OfferSink offers;
    private final Map<String, Transport> transports = new ConcurrentHashMap<>();
    /** How the room's audio reaches listeners; changed live by {@link #setAudio} (a switch between SFU and MCU). */
    private volatile AudioMode audio;
    /** The room's audio mix while it mixes (MIXED or BOTH); null while audio is only forwarded. */
    private volatile RoomMix mix;
    private final MixClock clock;

    /**
     * An SFU room, or an MCU room when {@code mixing} is given; either may switch later ({@link #setAudio}). A mix
     * is ticked by {@code clock} until it stops or the router closes.
     */
    public Router(String roomId, RouterConfig config, UdpEndpoint endpoint, OfferSink offers, MixConfig mixing,
                  MixClock clock) {
        this.roomId = roomId;
        this.config = config;
        this.endpoint = endpoint;
        this.offers = offers;
        this.clock = clock;
        this.audio = mixing == null ? AudioMode.FORWARDED : AudioMode.MIXED;
        if (mixing != null) {
            startMix(mixing);
        }
    }

    private void startMix(MixConfig mixing) {
        mix = new RoomMix(mixing, this::announceActiveSpeakers, MediaMetrics.get().mixing());
        clock.add(mix);
    }

    boolean mixing() {
        return mix != null;
    }

    /** "mcu" while the room mixes (also while a switch between SFU and MCU prepares), "sfu" otherwise. */
    public String topology() {
        return mix == null ? "sfu" : "mcu";
    }

    public AudioMode audio() {
        return audio;
    }

    /**
     * Routes the room's audio anew, live: starting to mix gives every listener a mix m-line and feeds every
     * speaker to the mixer; stopping forwarding removes the per-speaker audio m-lines, starting it adds them;
     * stopping the mix closes the mix m-lines. Every affected participant is renegotiated (one offer each).
     * Returns whether anything changed.
     */
    public boolean setAudio(AudioMode to, MixConfig mixing) {
        Set<Transport> renegotiate = new LinkedHashSet<>();
        synchronized (this) {
            AudioMode from = audio;
            if (to == from) {
                return false;
            }
            if (to.mixes() && mix == null) {
                startMix(mixing);
                for (Transport t : transports.values()) {
                    mix.addListener(t.addMix());
                    renegotiate.add(t);
                    feedMix(t.audio);
                }
            }
            audio = to;
            if (to.forwards() && !from.forwards()) {
                for (Transport t : transports.values()) {
                    if (t.audio != null) {
                        consumeEverywhere(t.audio, renegotiate);
                    }
                }
            }
            if (!to.forwards() && from.forwards()) {
                for (Transport t : transports.values()) {
                    for (Consumer c : t.consumers()) {
                        if (!c.producer.video() && t.removeConsumer(c)) {
                            renegotiate.add(t);
                        }
                    }
                }
            }
            if (!to.mixes() && mix != null) {
                RoomMix stopped = mix;
                mix = null;
                clock.remove(stopped);
                for (Transport t : transports.values()) {
                    if (t.audio != null) {
                        t.audio.mix = null;
                    }
                    if (t.removeMix() != null) {
                        renegotiate.add(t);
                    }
                }
            }
            LOG.infof("room %s: audio %s -> %s", roomId, from.wireName(), to.wireName());
        }
        renegotiate.forEach(this::renegotiate);
        return true;
    }

    /** Every other auto-subscribed participant consumes {@code p}; those that got a new consumer go into {@code renegotiate}. */
    private void consumeEverywhere(Producer p, Set<Transport> renegotiate) {
        for (Transport other : transports.values()) {
            if (other != p.owner && other.autoSubscribe && other.addConsumer(p) != null) {
                renegotiate.add(other);
            }
        }
    }

    /** A speaker's audio goes to the mix (as well as to its consumers while audio is also forwarded). */
    private void feedMix(Producer audioProducer) {
        if (audioProducer != null) {
            mix.addSpeaker(audioProducer.owner.participantId);
            audioProducer.mix = mix;
        }
    }

    /** The active speakers of an MCU room as of the last 20 ms tick (empty in an SFU room). */
    public List<String> activeSpeakers() {
        return mix == null ? List.of() : mix.activeSpeakers();
    }

    private void announceActiveSpeakers(List<String> speakers) {
        Map<String, Object> event = Map.of("type", "active-speakers", "from", "sfu", "speakers", speakers);
        for (String participant : transports.keySet()) {
            offers.deliverEvent(roomId, participant, event);
        }
    }

    /** Stops the room's mix (the router is empty and forgotten). */
    public synchronized void close() {
        if (mix != null) {
            clock.remove(mix);
        }
    }

    RouterConfig config() {
        return config;
    }

    UdpEndpoint endpoint() {
        return endpoint;
    }

    /** The result of an API call: the participant's offer to answer next (if any) and whether it was delivered. */
    public record Negotiation(SfuOffer offer, boolean delivered) {
    }

    public synchronized Negotiation createTransport(String participantId, boolean simulcast, boolean autoSubscribe) {
        if (transports.containsKey(participantId)) {
            throw new IllegalStateException("participant " + participantId + " already has a transport in room " + roomId);
        }
        Transport t = new Transport(this, participantId, simulcast, autoSubscribe);
        if (autoSubscribe) {
            for (Transport other : transports.values()) {
                other.producers().stream().filter(this::forwarded).forEach(t::addConsumer);
            }
        }
        if (t.mix != null) {
            mix.addListener(t.mix);
        }
        transports.put(participantId, t);
        endpoint.register(t.ice.ufrag(), t);
        SfuOffer offer = t.nextOffer();
        return new Negotiation(offer, offers.deliver(roomId, participantId, offer));
    }

    public Negotiation applyAnswer(String participantId, String sdp, long version) {
        Transport t = require(participantId);
        Transport.AnswerOutcome outcome = t.applyAnswer(sdp, version);
        Set<Transport> renegotiate = new LinkedHashSet<>();
        synchronized (this) {
            for (Producer p : outcome.newProducers()) {
                if (!p.video() && mix != null) {
                    feedMix(p);
                }
                if (!forwarded(p)) {
                    continue;
                }
                consumeEverywhere(p, renegotiate);
            }
        }
        for (Consumer c : outcome.newlyNegotiated()) {
            if (c.active()) {
                c.onKeyframeRequest(); // a subscriber that joins gets a keyframe right away
            }
        }
        renegotiate.forEach(this::renegotiate);
        Negotiation next = outcome.renegotiate() ? renegotiate(t) : new Negotiation(null, false);
        return next;
    }

    public Negotiation outstandingOffer(String participantId) {
        return new Negotiation(require(participantId).outstandingOffer(), false);
    }

    public void closeTransport(String participantId) {
        Transport t;
        Set<Transport> renegotiate = new LinkedHashSet<>();
        synchronized (this) {
            t = transports.remove(participantId);
            if (t == null) {
                return;
            }
            endpoint.unregister(t.ice.ufrag(), t);
            RoomMix m = mix;
            if (m != null) {
                MixConsumer own = t.mix;
                if (own != null) {
                    m.removeListener(own);
                }
                m.removeSpeaker(t.participantId);
            }
            for (Producer p : t.producers()) {
                for (Consumer c : List.copyOf(p.consumers)) {
                    if (c.subscriber.removeConsumer(c)) {
                        renegotiate.add(c.subscriber);
                    }
                }
            }
            for (Consumer c : t.consumers()) {
                c.producer.consumers.remove(c);
            }
        }
        t.close();
        renegotiate.forEach(this::renegotiate);
    }

    public void subscribe(String subscriberId, String publisherId) {
        Transport s = require(subscriberId);
        Transport p = require(publisherId);
        boolean changed = false;
        synchronized (this) {
            for (Producer producer : p.producers()) {
                changed |= forwarded(producer) && s.addConsumer(producer) != null;
            }
        }
        if (changed) {
            renegotiate(s);
        }
    }

    public void unsubscribe(String subscriberId, String publisherId) {
        Transport s = require(subscriberId);
        boolean changed = false;
        synchronized (this) {
            for (Consumer c : s.consumers()) {
                if (c.producer.owner.participantId.equals(publisherId)) {
                    changed |= s.removeConsumer(c);
                }
            }
        }
        if (changed) {
            renegotiate(s);
        }
    }

    /** Caps the simulcast layer a subscriber receives (of one publisher, or of everyone when publisherId is null). */
    public void setMaxLayer(String subscriberId, String publisherId, int maxLayer) {
        for (Consumer c : require(subscriberId).consumers()) {
            if (publisherId == null || c.producer.owner.participantId.equals(publisherId)) {
                c.maxLayer = Math.max(0, Math.min(2, maxLayer));
                if (c.producer.video()) {
                    c.producer.requestKeyframe(c.targetLayer(System.currentTimeMillis()));
                }
            }
        }
    }

    /** Whether a producer is forwarded to consumers: video always, audio unless the room only mixes. */
    private boolean forwarded(Producer p) {
        return p.video() || audio.forwards();
    }

    private Negotiation renegotiate(Transport t) {
        SfuOffer offer = t.nextOffer();
        if (offer == null) {
            return new Negotiation(null, false);
        }
        LOG.debugf("renegotiating %s/%s (v%d)", roomId, t.participantId, offer.version());
        return new Negotiation(offer, offers.deliver(roomId, t.participantId, offer));
    }

    void onConnected(Transport t) {
        for (Consumer c : t.consumers()) {
            if (c.active()) {
                c.onKeyframeRequest();
            }
        }
    }

    /** A publisher's stream showed up: subscribers waiting for its first keyframe should get one. */
    void onLayerStarted(Producer p) {
        if (p.video() && !p.consumers.isEmpty()) {
            p.requestKeyframeAllLayers();
        }
    }

    public void tickReports(long now) {
        for (Transport t : transports.values()) {
            t.checkConsent(now);
            t.sendReports(now);
        }
    }

    public void tickNacks(long now) {
        for (Transport t : transports.values()) {
            t.sendUpstreamNacks(now);
        }
    }

    public boolean isEmpty() {
        return transports.isEmpty();
    }

    public Collection<String> participantIds() {
        return List.copyOf(transports.keySet());
    }

    public int participants() {
        return transports.size();
    }

    public int producers() {
        return transports.values().stream().mapToInt(t -> t.producers().size()).sum();
    }

    public int consumers() {
        return transports.values().stream().mapToInt(t -> t.consumers().size() + (t.mix != null ? 1 : 0)).sum();
    }

    public WorkerStats.Room stats() {
        List<WorkerStats.Participant> ps = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Transport t : transports.values()) {
            List<WorkerStats.Producer> producers = new ArrayList<>();
            for (Producer p : t.producers()) {
                List<WorkerStats.Layer> layers = new ArrayList<>();
                p.layers.values().stream().sorted(java.util.Comparator.comparingInt(l -> l.index)).forEach(l ->
                        layers.add(new WorkerStats.Layer(l.rid == null ? "" : l.rid, l.ssrc, l.packets, l.bytes,
                                l.stats.lastFractionLost())));
                producers.add(new WorkerStats.Producer(p.kind, layers));
            }
            List<WorkerStats.Consumer> consumers = new ArrayList<>();
            for (Consumer c : t.consumers()) {
                consumers.add(new WorkerStats.Consumer(c.producer.owner.participantId, c.producer.kind, c.currentLayer(),
                        c.maxLayer, c.packets, c.bytes, c.nacksReceived, c.retransmitted, c.keyframeRequests,
                        c.fractionLost, c.rttMs));
            }
            MixConsumer mx = t.mix;
            if (mx != null) {
                consumers.add(new WorkerStats.Consumer(MixConsumer.STREAM_ID, "audio", 0, 0, mx.packets(), mx.octets(),
                        0, 0, 0, 0, -1));
            }
            ps.add(new WorkerStats.Participant(t.participantId, t.connectionState(), producers, consumers));
        }
        return new WorkerStats.Room(roomId, ps);
    }

    Transport require(String participantId) {
        Transport t = transports.get(participantId);
        if (t == null) {
            throw new java.util.NoSuchElementException("no participant " + participantId + " in room " + roomId);
        }
        return t;
    }
}
