package dev.cairn.gateway.ratelimit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address of the client behind the proxies: the peer itself unless it is a trusted proxy,
 * in which case the right-most address in {@code X-Forwarded-For} that is not a trusted proxy.
 * Addresses a client writes into the header itself are never believed, because a trusted proxy
 * appends the real peer to the right of them.
 */
final class ClientAddress {

    private record Range(byte[] network, int prefix) {
        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> trusted = new ArrayList<>();

    ClientAddress(List<String> trustedProxies) {
        for (String entry : trustedProxies) {
            String[] parts = entry.trim().split("/", -1);
            InetAddress network = literal(parts[0]);
            if (network == null || parts.length > 2) {
                throw new IllegalArgumentException("Not an IP address or range: " + entry);
            }
            int bits = network.getAddress().length * 8;
            int prefix;
            try {
                prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : bits;
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("Not an IP address or range: " + entry + " (the prefix length must be 0 to " + bits + ")");
            }
            trusted.add(new Range(network.getAddress(), prefix));
        }
    }

    String of(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        if (peer == null) {
            return "unknown";
        }
        if (!isTrusted(peer)) {
            return peer.getHostAddress();
        }
        List<String> forwarded = request.getHeaders().get("X-Forwarded-For");
        if (forwarded == null) {
            return peer.getHostAddress();
        }
        List<String> hops = new ArrayList<>();
        forwarded.forEach(value -> {
            for (String hop : value.split(",")) {
                hops.add(hop.trim());
            }
        });
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                break;
            }
            if (!isTrusted(hop)) {
                return hop.getHostAddress();
            }
        }
        return peer.getHostAddress();
    }

    private boolean isTrusted(InetAddress address) {
        for (Range range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /**
     * Parses an IP literal without ever asking DNS: four decimal octets, or an IPv6 address (it
     * has a colon), bracketed or not. Anything else, a host name made of hex digits ("cafe")
     * included, is no address. An IPv4-mapped IPv6 address is its IPv4 address.
     */
    static InetAddress literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!IPV4.matcher(bare).matches() && !IPV6.matcher(bare).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
