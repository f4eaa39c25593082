package io.webrtccluster.natlab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab: a "public" network 203.0.113.0/24 (a bridge in its own namespace, which also hosts coturn and signaling),
 * client sites behind NAT routers, and an "interior" namespace holding the addresses a relay must never reach
 * (RFC 1918, CGNAT, link-local/metadata, the cluster range), so a relay leak lands on a lab host and is counted.
 * <p>
 * Nothing is routed out of the lab: routers have no default route, the public namespace does not forward, and the
 * only link to the host is a /30 veth used to reach signaling's HTTP port. Names carry the JVM's PID so a crashed run
 * leaves nothing the next run trips over ({@link #reapStale()} removes it).
 */
final class NatLab implements AutoCloseable {
    static final String PREFIX = "wrcnl-";
    private static final Pattern STALE = Pattern.compile("^" + PREFIX + "(\\d+)-\\S+");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** coturn and signaling listen here; the second address lets coturn answer RFC 5780 NAT behaviour discovery. */
    static final String PUBLIC_IP = "203.0.113.1";
    static final String PUBLIC_ALT_IP = "203.0.113.2";
    /** Cluster pod/service CIDR for the lab's coturn config: denied on top of the built-in blocks. */
    static final String CLUSTER_CIDR = "198.51.100.128/25";

    /** Lab hosts at addresses a relay must refuse, one per denied block (loopback is coturn's own, in {@link #publicNet}). */
    static final List<String> INTERIOR_HOSTS = List.of("10.0.0.10", "172.16.0.10", "192.168.255.10", "100.64.0.10",
            "169.254.169.254", "198.51.100.200", "0.0.0.10");

    private final String name;
    private final NetNamespace publicNet;
    private final NetNamespace interior;
    private final List<Site> sites = new ArrayList<>();
    private final List<NetNamespace> namespaces = new ArrayList<>();
    private final String hostIp;
    private final String publicHostSideIp;
    private final List<String> interiorHosts = new ArrayList<>();

    private NatLab(String name, NetNamespace publicNet, NetNamespace interior, String hostIp, String publicHostSideIp) {
        this.name = name;
        this.publicNet = publicNet;
        this.interior = interior;
        this.hostIp = hostIp;
        this.publicHostSideIp = publicHostSideIp;
    }

    /** Builds the lab with one site per entry of {@code siteTypes} (a type may repeat: one router per site). */
    static NatLab create(List<NatType> siteTypes) {
        reapStale();
        long pid = ProcessHandle.current().pid();
        int seq = SEQUENCE.incrementAndGet();
        String name = PREFIX + pid + "-" + seq;
        // A /30 per lab from 198.51.100.0/25, so labs of concurrent runs do not share host routes.
        int block = (int) ((pid * 7 + seq) % 32) * 4;
        NatLab lab = new NatLab(name, new NetNamespace(name + "-pub"), new NetNamespace(name + "-interior"),
                "198.51.100." + (block + 1), "198.51.100." + (block + 2));
        try {
            lab.build(siteTypes, "wnl" + (pid % 1_000_000) + "x" + seq);
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * One {@code ip -batch} for the host (namespaces, veth pairs), one per namespace (addresses, links, routes), then
     * the routers' nftables: ~20 processes instead of ~80, which keeps set-up near 0.3 s.
     */
    private void build(List<NatType> siteTypes, String hostIf) {
        LabPlan plan = new LabPlan();
        String pub = publicNet.name();
        String in = interior.name();
        for (NetNamespace ns : List.of(publicNet, interior)) {
            plan.host("netns add " + ns.name());
            namespaces.add(ns);
            plan.in(ns, "link set lo up");
        }
        // The public network: a bridge with coturn's two addresses, and the host link for the test's HTTP calls.
        plan.in(publicNet, "link add br0 type bridge", "link set br0 up", "addr add " + PUBLIC_IP + "/24 dev br0",
                "addr add " + PUBLIC_ALT_IP + "/24 dev br0");
        plan.host("link add " + hostIf + " type veth peer name host0 netns " + pub,
                "addr add " + hostIp + "/30 dev " + hostIf, "link set " + hostIf + " up");
        plan.in(publicNet, "addr add " + publicHostSideIp + "/30 dev host0", "link set host0 up");
        // The interior: hosts at denied addresses, reachable from the relay only.
        plan.host("link add int0 netns " + pub + " type veth peer name eth0 netns " + in);
        plan.in(publicNet, "link set int0 up");
        plan.in(interior, "link set eth0 up", "route add 203.0.113.0/24 dev eth0 scope link");
        for (String host : INTERIOR_HOSTS) {
            plan.tryIn(interior, "addr add " + host + "/32 dev eth0");
            plan.tryIn(publicNet, "route add " + host + "/32 dev int0 src " + PUBLIC_IP);
        }
        for (NatType type : siteTypes) {
            planSite(plan, type);
        }
        // Name resolution stays inside each namespace (ip netns exec bind-mounts /etc/netns/NAME/resolv.conf): a
        // browser's lookups must not be aimed at the host's resolver, and fail at once instead of timing out.
        for (NetNamespace ns : namespaces) {
            ns.isolateResolver();
        }
        plan.run();
        // IPv4 only: no link-local IPv6 addresses appearing after DAD, which browsers see as network changes mid-call.
        for (NetNamespace ns : namespaces) {
            ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        }
        // 0.0.0.0/8 is not assignable on every kernel: keep what the interior really holds.
        String held = interior.ip("-4", "addr", "show", "dev", "eth0");
        for (String host : INTERIOR_HOSTS) {
            if (held.contains(" " + host + "/32")) {
                interiorHosts.add(host);
            }
        }
        // Count every packet that reaches an interior host: a relay leak shows up here whatever the port.
        StringBuilder rules = new StringBuilder("table ip leak {\n  chain input {\n    type filter hook input priority filter;\n");
        for (String host : interiorHosts) {
            rules.append("    ip daddr ").append(host).append(" counter\n");
        }
        rules.append("  }\n}\n");
        interior.nft(rules.toString());
        for (Site site : sites) {
            if (site.router() != null) {
                site.router().enableForwarding();
                site.router().nft(site.type().ruleset(site.clientIp()));
            }
        }
    }

    private void planSite(LabPlan plan, NatType type) {
        int k = sites.size() + 1;
        String wanIp = "203.0.113." + (10 + k);
        NetNamespace client = new NetNamespace(name + "-c" + k);
        plan.host("netns add " + client.name());
        namespaces.add(client);
        plan.in(client, "link set lo up");
        if (type == NatType.NONE) {
            plan.host("link add eth0 netns " + client.name() + " type veth peer name s" + k + " netns " + publicNet.name());
            plan.in(publicNet, "link set s" + k + " master br0 up");
            plan.in(client, "addr add " + wanIp + "/24 dev eth0", "link set eth0 up");
            sites.add(new Site(type, null, client, wanIp, wanIp));
            return;
        }
        NetNamespace router = new NetNamespace(name + "-r" + k);
        plan.host("netns add " + router.name());
        namespaces.add(router);
        String lanPrefix = "192.168." + k + ".";
        String clientIp = lanPrefix + "2";
        plan.host("link add wan netns " + router.name() + " type veth peer name s" + k + " netns " + publicNet.name(),
                "link add lan netns " + router.name() + " type veth peer name eth0 netns " + client.name());
        plan.in(publicNet, "link set s" + k + " master br0 up");
        // No default route on the router: nothing it forwards can leave the lab's public network.
        plan.in(router, "link set lo up", "addr add " + wanIp + "/24 dev wan", "link set wan up",
                "addr add " + lanPrefix + "1/24 dev lan", "link set lan up");
        plan.in(client, "addr add " + clientIp + "/24 dev eth0", "link set eth0 up", "route add default via " + lanPrefix + "1");
        sites.add(new Site(type, router, client, clientIp, wanIp));
    }

    NetNamespace publicNet() {
        return publicNet;
    }

    NetNamespace interior() {
        return interior;
    }

    List<Site> sites() {
        return List.copyOf(sites);
    }

    /** The {@code n}-th (0-based) site of a type. */
    Site site(NatType type, int n) {
        return sites.stream().filter(s -> s.type() == type).skip(n).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no site #" + n + " of type " + type));
    }

    /** Interior hosts this kernel could set up (all of {@link #INTERIOR_HOSTS}, bar 0.0.0.0/8 on some kernels). */
    List<String> interiorHosts() {
        return List.copyOf(interiorHosts);
    }

    /** The public namespace's address on the host link: how the test (on the host) reaches signaling's HTTP port. */
    String publicHostSideIp() {
        return publicHostSideIp;
    }

    String name() {
        return name;
    }

    /** Packets that reached each interior host so far (from the nft counters). */
    java.util.Map<String, Long> interiorPacketCounts() {
        String listing = interior.exec("nft", "list", "table", "ip", "leak");
        java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("ip daddr (\\S+) counter packets (\\d+)").matcher(listing);
        while (m.find()) {
            counts.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return counts;
    }

    @Override
    public void close() {
        // Reverse order: clients and routers first, the public net (with the host veth) last.
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            namespaces.get(i).delete();
        }
    }

    /** Deletes namespaces left by lab runs whose JVM is gone (a crash, a kill -9). */
    static void reapStale() {
        String list = Command.run(Duration.ofSeconds(5), List.of("ip", "netns", "list")).output();
        for (String line : list.lines().toList()) {
            Matcher m = STALE.matcher(line.trim());
            if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false) == false) {
                new NetNamespace(line.trim().split("\\s+")[0]).delete();
            }
        }
    }
}
