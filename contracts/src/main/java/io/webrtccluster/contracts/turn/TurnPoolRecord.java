package io.webrtccluster.contracts.turn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What signaling needs to hand out a TurnPool's servers, written by the operator under
 * {@link io.webrtccluster.contracts.store.RedisKeys#turnPool(String)}: the URLs clients use and the
 * secret new credentials are minted with. During a rotation the pool's coturn servers accept the
 * previous secret too, so credentials already handed out keep working; only the current one is here.
 *
 * @param urls       stun:/turn:/turns: URLs
 * @param secret     the current TURN REST secret
 * @param ttlSeconds lifetime of minted credentials
 */
public record TurnPoolRecord(List<String> urls, String secret, long ttlSeconds) {

    public TurnPoolRecord {
        urls = List.copyOf(urls);
        if (urls.isEmpty() || secret == null || secret.isEmpty() || ttlSeconds <= 0) {
            throw new IllegalArgumentException("a TurnPool record needs urls, a secret and a positive ttl");
        }
    }

    public Map<String, String> toHash() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("urls", String.join(",", urls));
        h.put("secret", secret);
        h.put("ttlSeconds", Long.toString(ttlSeconds));
        return h;
    }

    public static TurnPoolRecord fromHash(Map<String, String> h) {
        return new TurnPoolRecord(Arrays.asList(h.getOrDefault("urls", "").split(",")), h.get("secret"),
                Long.parseLong(h.getOrDefault("ttlSeconds", "0")));
    }

    /** STUN URLs need no credentials; TURN ones do. */
    public List<String> stunUrls() {
        return urls.stream().filter(u -> u.startsWith("stun:") || u.startsWith("stuns:")).toList();
    }

    public List<String> turnUrls() {
        return urls.stream().filter(u -> u.startsWith("turn:") || u.startsWith("turns:")).toList();
    }
}
