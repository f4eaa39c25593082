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
        String hostIp = "198.51.100." + (block + 1);
        String publicHostSideIp = "198.51.100." + (block + 2);

        List<NetNamespace> made = new ArrayList<>();
        try {
            NetNamespace pub = NetNamespace.create(name + "-pub");
            made.add(pub);
            NetNamespace interior = NetNamespace.create(name + "-interior");
            made.add(interior);
            NatLab lab = new NatLab(name, pub, interior, hostIp, publicHostSideIp);
            lab.namespaces.addAll(made);
            made.clear();
            try {
                lab.buildPublicNet(pid, seq);
                lab.buildInterior();
                for (NatType type : siteTypes) {
                    lab.addSite(type);
                }
                return lab;
            } catch (RuntimeException e) {
                lab.close();
                throw e;
            }
        } catch (RuntimeException e) {
            made.forEach(NetNamespace::delete);
            throw e;
        }
    }

    private void buildPublicNet(long pid, int seq) {
        publicNet.ip("link", "add", "br0", "type", "bridge");
        publicNet.ip("link", "set", "br0", "up");
        publicNet.ip("addr", "add", PUBLIC_IP + "/24", "dev", "br0");
        publicNet.ip("addr", "add", PUBLIC_ALT_IP + "/24", "dev", "br0");
        String hostIf = "wnl" + (pid % 1_000_000) + "x" + seq;
        Command.check("ip", "link", "add", hostIf, "type", "veth", "peer", "name", "host0", "netns", publicNet.name());
        Command.check("ip", "addr", "add", hostIp + "/30", "dev", hostIf);
        Command.check("ip", "link", "set", hostIf, "up");
        publicNet.ip("addr", "add", publicHostSideIp + "/30", "dev", "host0");
        publicNet.ip("link", "set", "host0", "up");
    }

    private void buildInterior() {
        Command.check("ip", "link", "add", "int0", "netns", publicNet.name(), "type", "veth", "peer", "name", "eth0",
                "netns", interior.name());
        publicNet.ip("link", "set", "int0", "up");
        interior.ip("link", "set", "eth0", "up");
        for (String host : INTERIOR_HOSTS) {
            // 0.0.0.0/8 is not assignable on every kernel; the others always are.
            Command add = Command.run(Duration.ofSeconds(5), List.of("ip", "-n", interior.name(), "addr", "add", host + "/32", "dev", "eth0"));
            if (add.exitCode() != 0) {
                continue;
            }
            Command route = Command.run(Duration.ofSeconds(5), List.of("ip", "-n", publicNet.name(), "route", "add", host + "/32",
                    "dev", "int0", "src", PUBLIC_IP));
            if (route.exitCode() == 0) {
                interiorHosts.add(host);
            }
        }
        interior.ip("route", "add", "203.0.113.0/24", "dev", "eth0", "scope", "link");
        // Count every packet that reaches an interior host: a relay leak shows up here whatever the port.
        StringBuilder rules = new StringBuilder("table ip leak {\n  chain input {\n    type filter hook input priority filter;\n");
        for (String host : interiorHosts) {
            rules.append("    ip daddr ").append(host).append(" counter\n");
        }
        rules.append("  }\n}\n");
        interior.nft(rules.toString());
    }

    private void addSite(NatType type) {
        int k = sites.size() + 1;
        String wanIp = "203.0.113." + (10 + k);
        NetNamespace client = NetNamespace.create(name + "-c" + k);
        namespaces.add(client);
        if (type == NatType.NONE) {
            Command.check("ip", "link", "add", "eth0", "netns", client.name(), "type", "veth", "peer", "name", "s" + k,
                    "netns", publicNet.name());
            publicNet.ip("link", "set", "s" + k, "master", "br0", "up");
            client.ip("addr", "add", wanIp + "/24", "dev", "eth0");
            client.ip("link", "set", "eth0", "up");
            sites.add(new Site(type, null, client, wanIp, wanIp));
            return;
        }
        NetNamespace router = NetNamespace.create(name + "-r" + k);
        namespaces.add(router);
        String lanPrefix = "192.168." + k + ".";
        String clientIp = lanPrefix + "2";
        Command.check("ip", "link", "add", "wan", "netns", router.name(), "type", "veth", "peer", "name", "s" + k,
                "netns", publicNet.name());
        publicNet.ip("link", "set", "s" + k, "master", "br0", "up");
        router.ip("addr", "add", wanIp + "/24", "dev", "wan");
        router.ip("link", "set", "wan", "up");
        Command.check("ip", "link", "add", "lan", "netns", router.name(), "type", "veth", "peer", "name", "eth0",
                "netns", client.name());
        router.ip("addr", "add", lanPrefix + "1/24", "dev", "lan");
        router.ip("link", "set", "lan", "up");
        client.ip("addr", "add", clientIp + "/24", "dev", "eth0");
        client.ip("link", "set", "eth0", "up");
        client.ip("route", "add", "default", "via", lanPrefix + "1");
        router.enableForwarding();
        router.nft(type.ruleset(clientIp));
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
