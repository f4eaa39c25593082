package io.webrtccluster.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The chart's rendered manifests are accepted by a real API server (schemas of HPA, Ingress, TurnPool, RBAC). */
@Tag(Tiers.CLUSTER)
class HelmChartIT {

    @Test
    void renderedChartIsAcceptedByTheApiServer() {
        OperatorCluster oc = OperatorCluster.get();
        oc.namespace("helm-it");
        String rendered = new Helm(ServiceProcess.repoRoot().resolve("helm/webrtc-cluster")).template()
                .withName("wrc").withNamespace("helm-it").skipCrds().call();
        var r = oc.cluster.tryKubectlAs(oc.cluster.kubeconfig(), rendered, "apply", "--dry-run=server", "-n", "helm-it", "-f", "-");
        assertEquals(0, r.exit(), r.stderr());
        for (String created : new String[] {"deployment.apps/webrtc-cluster-operator", "deployment.apps/signaling",
                "horizontalpodautoscaler.autoscaling/signaling", "ingress.networking.k8s.io/signaling",
                "turnpool.webrtc-cluster.io/relays", "clusterrole.rbac.authorization.k8s.io/webrtc-cluster-operator"}) {
            assertTrue(r.stdout().contains(created), created + " missing in:\n" + r.stdout());
        }
    }
}
