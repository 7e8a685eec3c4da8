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
            String[] parts = entry.trim().split("/");
            InetAddress network = literal(parts[0]);
            if (network == null) {
                throw new IllegalArgumentException("Not an IP address or range: " + entry);
            }
            int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : network.getAddress().length * 8;
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

    /** Parses an IP literal without ever asking DNS. */
    private static InetAddress literal(String text) {
        if (text.isEmpty() || !(Character.digit(text.charAt(0), 16) >= 0 || text.startsWith("[") || text.startsWith(":"))) {
            return null;
        }
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!bare.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
