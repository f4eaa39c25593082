package io.webrtccluster.sfu.browser;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One SFU room with real headless Chromium peers against the worker's control API: three start the
 * call, garbage hits the UDP port, a fourth joins 30 s in. Methods run in order on the same call.
 */
@Tag(Tiers.BROWSER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FourPeerRoomIT {
    private static final String ROOM = "four";
    private WorkerProcess worker;
    private TestPageServer page;
    private final List<Peer> peers = new ArrayList<>();
    private long callStartedAt;

    @BeforeAll
    void startCall() throws Exception {
        worker = new WorkerProcess(Map.of());
        page = new TestPageServer(worker.baseUrl());
        for (String id : List.of("p1", "p2", "p3")) {
            peers.add(new Peer(id, page.pageUrl()));
        }
        callStartedAt = System.currentTimeMillis();
        for (Peer p : peers) {
            p.join(ROOM, Map.of());
        }
    }

    @AfterAll
    void endCall() {
        peers.forEach(Peer::close);
        if (page != null) {
            page.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    @Order(1)
    void threePeersDecodeEachOthersVideoAndAudio() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> MediaFlow.assertEveryoneReceivesEveryone(peers, 1000));
    }

    @Test
    @Order(2)
    void garbageOnTheUdpPortChangesNothingForTheRunningCall() throws Exception {
        double droppedBefore = worker.metric("wrc_sfu_datagrams_dropped_total");
        String ufrag = (String) peers.get(0).script(
                "return window.sfu.pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1];");
        InetAddress lo = InetAddress.getLoopbackAddress();
        Random random = new Random(42);
        int sent = 0;
        try (DatagramSocket s = new DatagramSocket(0, lo)) {
            for (int i = 0; i < 300; i++) {
                byte[] b = new byte[1 + random.nextInt(1200)];
                random.nextBytes(b);
                s.send(new DatagramPacket(b, b.length, lo, worker.udpPort));
                sent++;
            }
            for (int i = 0; i < 50; i++) { // STUN for a live participant signed with the wrong password
                byte[] req = bindingRequest(ufrag + ":evil", "not-the-password", random);
                s.send(new DatagramPacket(req, req.length, lo, worker.udpPort));
                sent++;
            }
            for (int i = 0; i < 50; i++) { // DTLS records and SRTP-looking packets from an address ICE never validated
                byte[] dtls = new byte[200];
                random.nextBytes(dtls);
                dtls[0] = 22;
                dtls[1] = (byte) 0xfe;
                dtls[2] = (byte) 0xfd;
                s.send(new DatagramPacket(dtls, dtls.length, lo, worker.udpPort));
                byte[] rtp = new byte[300];
                random.nextBytes(rtp);
                rtp[0] = (byte) 0x80;
                s.send(new DatagramPacket(rtp, rtp.length, lo, worker.udpPort));
                sent += 2;
            }
        }
        int total = sent;
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(worker.metric("wrc_sfu_datagrams_dropped_total") - droppedBefore).isGreaterThanOrEqualTo(total - 5));
        MediaFlow.assertEveryoneReceivesEveryone(peers, 2000);
        for (Peer p : peers) {
            assertThat(p.script("return window.sfu.pc.connectionState;")).isEqualTo("connected");
            for (Peer other : peers) {
                if (other != p) {
                    assertThat(p.stat(other.id, "video", "freezeCount")).as(p.id + " <- " + other.id + " freezes").isLessThanOrEqualTo(1);
                }
            }
        }
        System.out.printf("garbage: %d datagrams sent, %.0f dropped by the worker%n", total,
                worker.metric("wrc_sfu_datagrams_dropped_total") - droppedBefore);
    }

    @Test
    @Order(3)
    void aPeerJoiningThirtySecondsInDecodesEveryoneWithinOneSecond() throws Exception {
        long wait = callStartedAt + 30_000 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        Peer late = new Peer("p4", page.pageUrl());
        peers.add(late);
        long joinCalled = System.currentTimeMillis();
        late.join(ROOM, Map.of());
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() ->
                peers.subList(0, 3).stream().allMatch(p -> late.firstFrameMs(p.id) >= 0));
        for (Peer p : peers.subList(0, 3)) {
            double ms = late.firstFrameMs(p.id);
            System.out.printf("late joiner: first frame from %s %.0f ms after connecting (%d ms after join())%n", p.id, ms,
                    System.currentTimeMillis() - joinCalled);
            assertThat(ms).as("first decoded frame from " + p.id + " after the late joiner connected").isLessThan(1000);
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> MediaFlow.assertEveryoneReceivesEveryone(peers, 1500));
    }

    @Test
    @Order(4)
    void theWorkerReceivesOneUpstreamPerPublisherAndFansItOut() throws Exception {
        JsonNode stats = new ObjectMapper().readTree(worker.get("/v1/stats"));
        assertThat(stats.get("participants").asInt()).isEqualTo(4);
        assertThat(stats.get("producers").asInt()).as("audio + video per publisher").isEqualTo(8);
        assertThat(stats.get("consumers").asInt()).as("each of 4 receives 3 x (audio + video)").isEqualTo(24);
        for (JsonNode p : stats.get("rooms").get(0).get("participants")) {
            assertThat(p.get("connectionState").asText()).isEqualTo("connected");
            for (JsonNode producer : p.get("producers")) {
                assertThat(producer.get("layers")).as("one RTP stream per track upstream").hasSize(1);
            }
        }
        assertThat(worker.metric("wrc_sfu_producers")).isEqualTo(8);
        double in0 = worker.metric("wrc_sfu_rtp_packets_in_total");
        double out0 = worker.metric("wrc_sfu_rtp_packets_out_total");
        Thread.sleep(3000);
        double in = worker.metric("wrc_sfu_rtp_packets_in_total") - in0;
        double out = worker.metric("wrc_sfu_rtp_packets_out_total") - out0;
        System.out.printf("4 peers over 3 s: %.0f RTP packets in, %.0f out (x%.2f); metrics: rtt %.1f ms, plis %.0f, nacks %.0f%n",
                in, out, out / in, worker.metric("wrc_sfu_rtt_ms"), worker.metric("wrc_sfu_plis_sent_total"),
                worker.metric("wrc_sfu_nacks_received_total"));
        assertThat(out / in).as("each upstream packet goes to the 3 other peers").isBetween(2.7, 3.3);
    }

    /** A STUN binding request with USERNAME and a MESSAGE-INTEGRITY computed with the given (wrong) key. */
    private static byte[] bindingRequest(String username, String key, Random random) throws Exception {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        int userPadded = (user.length + 3) / 4 * 4;
        ByteBuffer b = ByteBuffer.allocate(20 + 4 + userPadded + 24);
        b.putShort((short) 1).putShort((short) (4 + userPadded + 24)).putInt(0x2112A442);
        byte[] tid = new byte[12];
        random.nextBytes(tid);
        b.put(tid);
        b.putShort((short) 6).putShort((short) user.length).put(user);
        b.position(20 + 4 + userPadded);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        byte[] signed = java.util.Arrays.copyOf(b.array(), b.position());
        b.putShort((short) 8).putShort((short) 20).put(mac.doFinal(signed));
        return b.array();
    }
}
