package io.webrtccluster.signaling.unit;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.signaling.relay.Delivery;
import io.webrtccluster.signaling.relay.InMemoryRelay;
import io.webrtccluster.signaling.relay.Relay;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resume contract, on the in-process relay: replay after the last seen seq, in order, once; the old socket is told to let go. */
@Tag(Tiers.UNIT)
class InMemoryRelayTest {

    static final class Recorder implements Relay.Sink {
        final List<Delivery> got = new ArrayList<>();
        boolean takenOver;

        @Override
        public void deliver(Delivery d) {
            got.add(d);
        }

        @Override
        public void takenOver() {
            takenOver = true;
        }

        List<String> bodies() {
            return got.stream().map(Delivery::json).toList();
        }
    }

    final InMemoryRelay relay = new InMemoryRelay(k -> k[1].equals("bob"));

    @Test
    void aResumedAttachmentGetsExactlyWhatItMissedInOrder() {
        Recorder first = new Recorder();
        Relay.Attachment a = relay.attach("r", "bob", null, first).toCompletableFuture().join();
        relay.deliver("r", "bob", "{\"n\":1}");
        relay.deliver("r", "bob", "{\"n\":2}");
        a.detach(); // the socket died
        relay.deliver("r", "bob", "{\"n\":3}");
        relay.deliver("r", "bob", "{\"n\":4}");

        Recorder resumed = new Recorder();
        relay.attach("r", "bob", first.got.get(1).seq(), resumed);
        relay.deliver("r", "bob", "{\"n\":5}");
        assertEquals(List.of("{\"n\":3}", "{\"n\":4}", "{\"n\":5}"), resumed.bodies());
    }

    @Test
    void attachingAgainTakesOverTheOlderAttachment() {
        Recorder old = new Recorder();
        relay.attach("r", "bob", null, old);
        Recorder fresh = new Recorder();
        relay.attach("r", "bob", null, fresh);
        relay.deliver("r", "bob", "{\"n\":1}");
        assertTrue(old.takenOver);
        assertTrue(old.got.isEmpty());
        assertEquals(1, fresh.got.size());
    }

    @Test
    void peerSignalingToANonMemberIsNotDelivered() {
        assertNull(relay.deliverToMember("r", "mallory", "{}").toCompletableFuture().join());
    }
}
