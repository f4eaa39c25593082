package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling update, as the kubelet does it: SIGTERM to a signaling replica while participants are connected
 * to it. The sockets it closes on its way out are not leaves: nobody in their rooms is told they left, and
 * each of them resumes its session on the other replica. (A helm upgrade on the real node showed the
 * opposite once in six runs: a fresh session instead of a resume, and a leave and a join for the others.)
 */
@Tag(Tiers.REDIS)
class ReplicaStopIT {
    static final int ROOMS = 6;

    @Test
    void participantsOfAReplicaStoppedWithSigtermResumeElsewhereAndNobodySeesThemLeave() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServiceProcess stays = TopologyProtocolIT.replica(redis, "stays")) {
            ServiceProcess stops = TopologyProtocolIT.replica(redis, "stops");
            List<SignalClient> onStopping = new ArrayList<>();
            List<SignalClient> onStaying = new ArrayList<>();
            List<String> sessions = new ArrayList<>();
            try {
                for (int i = 0; i < ROOMS; i++) {
                    String room = "roll-" + i;
                    // the one who stays joins first, so it is told about the other's join (and would be of a leave)
                    onStaying.add(SignalClient.joined(stays.httpUrl(), TopologyProtocolIT.ws(stays), room, "stayer" + i));
                    SignalClient c = SignalClient.connect(TopologyProtocolIT.ws(stops));
                    c.sendJson("{\"type\":\"join\",\"v\":2,\"room\":\"" + room + "\",\"token\":\""
                            + SignalClient.devToken(stops.httpUrl(), room, "mover" + i) + "\"}");
                    sessions.add(c.next("joined").path("sessionId").asText());
                    onStopping.add(c);
                }
                for (SignalClient s : onStaying) {
                    s.next("participant-joined");
                }
                ProcessHandle.of(stops.process().pid()).orElseThrow().destroy(); // SIGTERM
                for (int i = 0; i < ROOMS; i++) {
                    System.out.printf("[replica-stop] mover%d's socket closed with %d%n", i, onStopping.get(i).awaitClose());
                    String room = "roll-" + i;
                    SignalClient back = SignalClient.joinedWith(TopologyProtocolIT.ws(stays), "{\"type\":\"join\",\"v\":2,\"room\":\""
                            + room + "\",\"token\":\"" + SignalClient.devToken(stays.httpUrl(), room, "mover" + i)
                            + "\",\"resume\":{\"sessionId\":\"" + sessions.get(i) + "\",\"lastSeq\":null}}");
                    onStopping.set(i, back);
                    JsonNode joined = back.next("joined");
                    assertTrue(joined.path("resumed").asBoolean(), "mover" + i + " resumed its session: " + joined);
                    assertEquals(sessions.get(i), joined.path("sessionId").asText());
                }
                for (int i = 0; i < ROOMS; i++) {
                    List<String> seen = onStaying.get(i).drain(Duration.ofMillis(i == 0 ? 1500 : 0)).stream()
                            .map(m -> m.path("type").asText()).filter(t -> t.startsWith("participant-")).toList();
                    assertEquals(List.of(), seen, "stayer" + i + " was told of a leave or join during the rolling update");
                }
            } finally {
                onStopping.forEach(SignalClient::close);
                onStaying.forEach(SignalClient::close);
                stops.close();
            }
        }
    }
}
