package io.webrtccluster.natlab;

/**
 * One client network of the lab: a client namespace, behind a router namespace unless the type is {@link NatType#NONE}.
 *
 * @param type      what the router does
 * @param router    the router namespace, null without NAT
 * @param client    where the client (a browser, a TURN client) runs
 * @param clientIp  the client's own address (192.168.x.2, or its public address without NAT)
 * @param publicIp  the address the public network sees (the router's WAN address, or the client's own)
 */
record Site(NatType type, NetNamespace router, NetNamespace client, String clientIp, String publicIp) {

    @Override
    public String toString() {
        return type + "@" + publicIp;
    }
}
