package io.webrtccluster.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local control plane behaves like a real cluster: controllers, scheduler, kwok pods, GC and RBAC all work. */
@Tag(Tiers.CLUSTER)
class LocalClusterIT {
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        long t0 = System.nanoTime();
        cluster = LocalCluster.start();
        System.err.printf("local cluster up in %d ms at %s%n", (System.nanoTime() - t0) / 1_000_000, cluster.apiServerUrl());
    }

    @AfterAll
    static void stopClusterLeavesNoProcess() throws IOException {
        if (cluster == null) {
            return;
        }
        List<Long> pids;
        try (var files = Files.list(cluster.stateDir().resolve("run"))) {
            pids = files.map(f -> Long.parseLong(read(f).trim())).toList();
        }
        assertEquals(5, pids.size(), "etcd, apiserver, controller-manager, scheduler, kwok");
        cluster.close();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertTrue(pids.stream().noneMatch(LocalClusterIT::running),
                "still running: " + pids));
        assertFalse(Files.exists(cluster.stateDir()), "state dir removed");
    }

    /** Alive and not a zombie waiting for init to reap it. */
    private static boolean running(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String s = read(stat);
        return !s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return ") Z"; // gone between the check and the read
        }
    }

    @Test
    void deploymentPodsAreScheduledOnTheFakeNodeAndRun() {
        cluster.kubectl("create", "namespace", "deploy-test");
        cluster.kubectl("create", "deployment", "web", "-n", "deploy-test", "--image=registry.k8s.io/pause:3.10",
                "--replicas=2");

        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertEquals(
                "Running Running",
                cluster.kubectl("get", "pods", "-n", "deploy-test", "-l", "app=web", "-o",
                        "jsonpath={.items[*].status.phase}").trim()));
        String nodes = cluster.kubectl("get", "pods", "-n", "deploy-test", "-l", "app=web", "-o",
                "jsonpath={.items[*].spec.nodeName}");
        assertEquals("kwok-node-0 kwok-node-0", nodes.trim());
        await().atMost(CONVERGE).untilAsserted(() -> assertEquals("2", cluster.kubectl("get", "deployment", "web",
                "-n", "deploy-test", "-o", "jsonpath={.status.readyReplicas}").trim()));
    }

    @Test
    void garbageCollectorDeletesWhatADeletedDeploymentOwned() {
        cluster.kubectl("create", "namespace", "gc-test");
        cluster.kubectl("create", "deployment", "owner", "-n", "gc-test", "--image=registry.k8s.io/pause:3.10");
        String uid = cluster.kubectl("get", "deployment", "owner", "-n", "gc-test", "-o", "jsonpath={.metadata.uid}");
        cluster.kubectlWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: owned
                  namespace: gc-test
                  ownerReferences:
                  - apiVersion: apps/v1
                    kind: Deployment
                    name: owner
                    uid: %s
                data:
                  room: r1
                """.formatted(uid), "apply", "-f", "-");
        assertEquals("configmap/owned", cluster.kubectl("get", "configmap", "owned", "-n", "gc-test", "-o", "name").trim());

        cluster.kubectl("delete", "deployment", "owner", "-n", "gc-test", "--wait=false");

        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertEquals("",
                cluster.kubectl("get", "configmap", "owned", "-n", "gc-test", "-o", "name", "--ignore-not-found").trim()));
        await().atMost(CONVERGE).untilAsserted(() -> assertEquals("",
                cluster.kubectl("get", "replicasets,pods", "-n", "gc-test", "-o", "name").trim()));
    }

    @Test
    void serviceAccountKubeconfigHasOnlyWhatRbacGrants() {
        cluster.kubectl("create", "namespace", "rbac-test");
        cluster.kubectl("create", "serviceaccount", "reader", "-n", "rbac-test");
        Path asReader = cluster.serviceAccountKubeconfig("rbac-test", "reader");

        assertEquals("system:serviceaccount:rbac-test:reader", cluster.kubectlAs(asReader, null,
                "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}").trim());
        LocalCluster.KubectlResult denied = cluster.tryKubectlAs(asReader, null, "get", "pods", "-n", "rbac-test");
        assertNotEquals(0, denied.exit());
        assertTrue(denied.stderr().contains("forbidden"), denied.stderr());

        cluster.kubectl("create", "role", "pod-reader", "-n", "rbac-test", "--verb=get,list,watch", "--resource=pods");
        cluster.kubectl("create", "rolebinding", "reader-reads-pods", "-n", "rbac-test", "--role=pod-reader",
                "--serviceaccount=rbac-test:reader");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertEquals(0,
                cluster.tryKubectlAs(asReader, null, "get", "pods", "-n", "rbac-test").exit()));
        // The binding is namespaced: other namespaces and other verbs stay forbidden.
        assertNotEquals(0, cluster.tryKubectlAs(asReader, null, "get", "pods", "-n", "default").exit());
        LocalCluster.KubectlResult write = cluster.tryKubectlAs(asReader, null, "create", "configmap", "probe", "-n",
                "rbac-test");
        assertNotEquals(0, write.exit());
        assertTrue(write.stderr().contains("forbidden"), write.stderr());
    }
}
