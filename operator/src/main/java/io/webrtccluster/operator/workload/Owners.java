package io.webrtccluster.operator.workload;

import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/**
 * A controller owner reference: the garbage collector deletes the object with its owner, and
 * {@code kubectl describe} shows "Controlled By" (the SDK's default reference sets neither flag).
 */
public final class Owners {
    private Owners() {
    }

    public static OwnerReference controller(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** Metadata of an object {@code owner} controls: in the owner's namespace, with the controller reference and labels. */
    public static ObjectMeta ownedMetadata(HasMetadata owner, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(owner.getMetadata().getNamespace())
                .withOwnerReferences(controller(owner))
                .withLabels(labels)
                .build();
    }
}
