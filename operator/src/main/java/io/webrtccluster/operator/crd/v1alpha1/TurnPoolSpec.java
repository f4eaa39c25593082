package io.webrtccluster.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;

// CIDR syntax is checked by the operator (Ready=False, InvalidSpec): a CEL regex over unbounded list items would
// blow the API server's rule cost budget.
// A Service needs one port entry per relay port; hostNetwork relays need none, so only the Service mode is bounded.
@ValidationRule(value = "self.hostNetwork || !has(self.relayPorts) || self.relayPorts.max - self.relayPorts.min < 200",
        message = "relayPorts: at most 200 relay ports can be exposed through a Service; use hostNetwork for a larger range",
        fieldPath = ".relayPorts", reason = "FieldValueInvalid")
public class TurnPoolSpec {

    @JsonPropertyDescription("TURN realm (also the REST credential realm).")
    @Required
    @Pattern("^[A-Za-z0-9][-A-Za-z0-9.]{0,252}$")
    public String realm;

    @JsonPropertyDescription("coturn replicas (ignored with hostNetwork: one per node).")
    @Min(1)
    @Max(100)
    @Default("2")
    public int replicas = 2;

    @JsonPropertyDescription("coturn image; defaults to the operator's wrc.operator.coturn-image.")
    public String image;

    @JsonPropertyDescription("Run a DaemonSet on the nodes' network: relays use node addresses, any relay range size.")
    @Default("false")
    public boolean hostNetwork;

    @Min(1)
    @Max(65535)
    @Default("3478")
    public int listeningPort = 3478;

    public RelayPorts relayPorts = new RelayPorts();

    @JsonPropertyDescription("Public address (or public/private pair) coturn announces in relayed candidates.")
    @Pattern("^[0-9a-fA-F:.]+(/[0-9a-fA-F:.]+)?$")
    public String externalIp;

    @JsonPropertyDescription("Host name or address clients use in TURN URLs; defaults to the external IP, the load balancer, or the Service DNS name.")
    @Pattern("^[-A-Za-z0-9.:]+$")
    public String publicHost;

    @JsonPropertyDescription("Existing Secret holding static-auth-secret (and optionally previous-static-auth-secret); generated when unset.")
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    public String authSecretName;

    @JsonPropertyDescription("Cluster pod and service CIDRs (and any other blocks) relays must never reach, on top of the built-in private ranges.")
    @Size(max = 64)
    public List<String> deniedPeerCidrs = new ArrayList<>();

    @JsonPropertyDescription("Exceptions to the denied blocks (e.g. a lab network).")
    @Size(max = 64)
    public List<String> allowedPeerCidrs = new ArrayList<>();

    @JsonPropertyDescription("Concurrent allocations per user (0 = unlimited).")
    @Min(0)
    @Default("12")
    public int userQuota = 12;

    @JsonPropertyDescription("Concurrent allocations per relay (0 = unlimited).")
    @Min(0)
    @Default("1200")
    public int totalQuota = 1200;

    @Default("true")
    public boolean prometheus = true;

    @JsonPropertyDescription("kubernetes.io/tls Secret for TURN over TLS on 5349.")
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    public String tlsSecretName;

    @JsonPropertyDescription("Lifetime of the TURN REST credentials signaling mints for this pool.")
    @Min(60)
    @Max(86400)
    @Default("3600")
    public long credentialTtlSeconds = 3600;

    @Default("ClusterIP")
    public TurnServiceType serviceType = TurnServiceType.ClusterIP;

    public ResourceRequirements resources;
}
