package io.webrtccluster.contracts.turn;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code fe80::/10}. coturn's
 * {@code denied-peer-ip}/{@code allowed-peer-ip} take {@code first-last} ranges, so a block renders as one.
 *
 * @param address the first address of the block (host bits cleared)
 * @param prefix  prefix length
 */
public record Cidr(InetAddress address, int prefix) {

    /** Literal addresses only: never let a host name reach {@link InetAddress#getByName} (it would resolve). */
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    public Cidr {
        int bits = address.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix must be within 0.." + bits + ", was " + prefix);
        }
        address = mask(address, prefix, false);
    }

    /** Parses {@code a.b.c.d/n}, {@code x::y/n} or a single address (a full-length block). */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String ip = slash < 0 ? s : s.substring(0, slash);
        if (!LITERAL.matcher(ip).matches() || (!ip.contains(".") && !ip.contains(":"))) {
            throw new IllegalArgumentException("not an IP address or CIDR block: " + text);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address or CIDR block: " + text, e);
        }
        if (ip.contains(":") && address instanceof Inet4Address) {
            // Java folds ::ffff:a.b.c.d into an IPv4 address; keep the IPv6 form the text asked for.
            address = ipv6(mapped(address.getAddress()));
        }
        int bits = address.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in " + text, e);
        }
        return new Cidr(address, prefix);
    }

    public boolean isIpv6() {
        return address.getAddress().length == 16;
    }

    public InetAddress first() {
        return address;
    }

    public InetAddress last() {
        return mask(address, prefix, true);
    }

    public boolean contains(InetAddress ip) {
        return ip.getAddress().length == address.getAddress().length && mask(ip, prefix, false).equals(address);
    }

    /** coturn's range form: {@code first-last}, or the bare address for a single-address block. */
    public String toCoturnRange() {
        String first = first().getHostAddress();
        return prefix == address.getAddress().length * 8 ? first : first + "-" + last().getHostAddress();
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefix;
    }

    private static InetAddress mask(InetAddress ip, int prefix, boolean setHostBits) {
        byte[] b = ip.getAddress();
        int bits = b.length * 8;
        BigInteger value = new BigInteger(1, b);
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        value = setHostBits ? value.or(hostMask) : value.andNot(hostMask);
        byte[] raw = value.toByteArray();
        byte[] out = new byte[b.length];
        // toByteArray may add a sign byte or drop leading zeros; right-align into the address width.
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        if (out.length == 16) {
            return ipv6(out);
        }
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of length " + out.length + " rejected: " + Arrays.toString(out), e);
        }
    }

    /** An IPv6 address even when the bytes are IPv4-mapped (InetAddress.getByAddress would fold those to IPv4). */
    private static InetAddress ipv6(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an IPv6 address: " + Arrays.toString(bytes), e);
        }
    }

    private static byte[] mapped(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }
}
