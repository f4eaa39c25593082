package io.webrtccluster.operator.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webrtccluster.testing.Tiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRDs and the operator's RBAC in {@code crds/} are what the build generates from the Java model and
 * application.properties (an IT only because Quarkus generates them in {@code package}). To accept a change:
 * {@code mvn -B -o -pl operator verify -Dit.test=CrdDriftIT -Dwrc.crds.update=true}.
 */
@Tag(Tiers.UNIT)
class CrdDriftIT {

    static final Path GENERATED = Path.of("target/kubernetes");
    static final Path CHECKED_IN = Path.of("../crds");
    /** The Helm chart carries copies (a chart cannot read files outside itself). */
    static final Path CHART = Path.of("../helm/webrtc-cluster");
    static final List<String> RBAC_KINDS = List.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

    @ParameterizedTest
    @ValueSource(strings = {"rooms.webrtc-cluster.io-v1.yml", "turnpools.webrtc-cluster.io-v1.yml", "operator-rbac.yml"})
    void checkedInFileMatchesTheBuild(String file) throws IOException {
        String generated = file.equals("operator-rbac.yml") ? rbac() : Files.readString(GENERATED.resolve(file));
        Path checkedIn = CHECKED_IN.resolve(file);
        Path chartCopy = CHART.resolve(file.equals("operator-rbac.yml") ? "files" : "crds").resolve(file);
        if (Boolean.getBoolean("wrc.crds.update")) {
            Files.createDirectories(CHECKED_IN);
            Files.writeString(checkedIn, generated);
            Files.createDirectories(chartCopy.getParent());
            Files.writeString(chartCopy, generated);
        }
        assertEquals(generated, Files.exists(checkedIn) ? Files.readString(checkedIn) : "<missing>",
                "crds/" + file + " differs from what the build generates; regenerate with -Dwrc.crds.update=true");
        assertEquals(generated, Files.exists(chartCopy) ? Files.readString(chartCopy) : "<missing>",
                chartCopy + " differs from what the build generates; regenerate with -Dwrc.crds.update=true");
    }

    /** The RBAC documents of Quarkus' kubernetes.yml (it also holds a Deployment etc. that the Helm chart owns). */
    static String rbac() throws IOException {
        String all = Files.readString(GENERATED.resolve("kubernetes.yml"));
        return "# Generated from operator/src/main/resources/application.properties (quarkus.kubernetes.rbac.*); do not edit.\n"
                + Arrays.stream(all.split("(?m)^---\\s*$"))
                .map(String::strip)
                .filter(doc -> RBAC_KINDS.stream().anyMatch(k -> doc.lines().anyMatch(l -> l.equals("kind: " + k))))
                .collect(Collectors.joining("\n---\n", "---\n", "\n"));
    }
}
