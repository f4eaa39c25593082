package io.webrtccluster.sfu.room;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tracks sequence numbers missing from a publisher's stream and says when to ask for them again:
 * at once, then every {@link #RETRY_MS} up to {@link #MAX_TRIES} times, giving up after {@link #MAX_AGE_MS}.
 */
final class NackGenerator {
    static final int RETRY_MS = 40;
    static final int MAX_TRIES = 4;
    static final int MAX_AGE_MS = 1000;

    private static final class Missing {
        final long firstMs;
        long lastSentMs;
        int tries;

        Missing(long now) {
            this.firstMs = now;
        }
    }

    private final Map<Integer, Missing> missing = new LinkedHashMap<>();

    synchronized void onGap(int[] seqs, long now) {
        for (int s : seqs) {
            missing.putIfAbsent(s, new Missing(now));
        }
        while (missing.size() > 500) {
            missing.remove(missing.keySet().iterator().next());
        }
    }

    synchronized void onReceived(int seq) {
        missing.remove(seq);
    }

    /** The sequence numbers to NACK now. */
    synchronized List<Integer> due(long now) {
        List<Integer> out = new ArrayList<>();
        Iterator<Map.Entry<Integer, Missing>> it = missing.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Integer, Missing> e = it.next();
            Missing m = e.getValue();
            if (now - m.firstMs > MAX_AGE_MS || m.tries >= MAX_TRIES) {
                it.remove();
            } else if (m.tries == 0 || now - m.lastSentMs >= RETRY_MS) {
                m.tries++;
                m.lastSentMs = now;
                out.add(e.getKey());
            }
        }
        return out;
    }
}
