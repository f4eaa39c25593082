package io.webrtccluster.operator.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Change detection for workloads by a hash of what the operator asked for, stamped as an annotation.
 * The SDK's server-side-apply matcher reports a difference on every reconcile for pods with env {@code valueFrom}
 * (fieldRef/secretKeyRef are atomic maps, so their managed-field entries are empty): each reconcile re-applied
 * the Deployment (3 applies per Room in the benchmark). With the hash, an unchanged desired state costs no request.
 */
public final class DesiredHash {
    public static final String ANNOTATION = "webrtc-cluster.io/desired-hash";
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private DesiredHash() {
    }

    /** Adds the hash of the object as built (before the annotation) to its annotations. */
    public static <R extends HasMetadata> R stamp(R desired) {
        String hash = of(desired);
        var annotations = new java.util.TreeMap<String, String>();
        if (desired.getMetadata().getAnnotations() != null) {
            annotations.putAll(desired.getMetadata().getAnnotations());
        }
        annotations.put(ANNOTATION, hash);
        desired.getMetadata().setAnnotations(annotations);
        return desired;
    }

    /** Matches when the live object carries the desired hash and the extra value (e.g. replicas, which people may scale) agrees. */
    public static <R extends HasMetadata> Matcher.Result<R> match(R actual, R desired, Object actualExtra, Object desiredExtra) {
        boolean same = Objects.equals(annotation(actual), annotation(desired)) && Objects.equals(actualExtra, desiredExtra);
        return Matcher.Result.computed(same, desired);
    }

    static String annotation(HasMetadata r) {
        return r.getMetadata().getAnnotations() == null ? null : r.getMetadata().getAnnotations().get(ANNOTATION);
    }

    static String of(Object o) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsString(o).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash " + o.getClass().getSimpleName(), e);
        }
    }
}
