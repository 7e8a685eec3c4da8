package dev.cairn.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {

    private final ClientAddress addresses = new ClientAddress(List.of("127.0.0.1", "::1", "10.0.0.0/8", "172.16.0.0/12"));

    private String from(String peer, String... forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("http://gateway/api/registers")
                .remoteAddress(new InetSocketAddress(peer, 40000));
        for (String value : forwardedFor) {
            request.header("X-Forwarded-For", value);
        }
        return addresses.of(request.build());
    }

    @Test
    void aPeerThatIsNoTrustedProxyIsTheClientWhateverItClaims() {
        assertThat(from("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(from("203.0.113.7", "198.51.100.1")).as("a client cannot name another address for itself").isEqualTo("203.0.113.7");
    }

    @Test
    void behindTrustedProxiesTheRightMostUntrustedHopIsTheClient() {
        assertThat(from("127.0.0.1", "203.0.113.7")).isEqualTo("203.0.113.7");
        // the client wrote 198.51.100.9 itself; nginx appended the real peer, then an inner proxy its own
        assertThat(from("10.0.0.5", "198.51.100.9, 203.0.113.7, 10.0.0.2")).isEqualTo("203.0.113.7");
        assertThat(from("10.0.0.5", "198.51.100.9", "203.0.113.7")).as("several headers read in order").isEqualTo("203.0.113.7");
    }

    @Test
    void rangesThatDoNotEndOnAByteBoundaryAreExact() {
        assertThat(from("172.31.255.255", "203.0.113.7")).as("inside 172.16.0.0/12").isEqualTo("203.0.113.7");
        assertThat(from("172.32.0.1", "203.0.113.7")).as("outside 172.16.0.0/12: an untrusted peer").isEqualTo("172.32.0.1");
        assertThat(from("172.15.255.255", "203.0.113.7")).isEqualTo("172.15.255.255");
    }

    @Test
    void ipv6PeersAndHops() {
        assertThat(from("::1", "[2001:db8::1]")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(from("::1", "2001:db8::2")).isEqualTo("2001:db8:0:0:0:0:0:2");
        assertThat(from("2001:db8::3", "203.0.113.7")).isEqualTo("2001:db8:0:0:0:0:0:3");
    }

    @Test
    void whenNoHopCanBeBelievedThePeerStands() {
        assertThat(from("10.0.0.5")).as("no header").isEqualTo("10.0.0.5");
        assertThat(from("10.0.0.5", "10.0.0.7, 127.0.0.1")).as("every hop a trusted proxy").isEqualTo("10.0.0.5");
        assertThat(from("10.0.0.5", "203.0.113.7, unknown")).as("a hop that is no address stops the walk").isEqualTo("10.0.0.5");
        assertThat(from("10.0.0.5", "localhost")).as("names are never resolved").isEqualTo("10.0.0.5");
        assertThat(from("10.0.0.5", "203.0.113.7:5555")).as("an address with a port is not an address").isEqualTo("10.0.0.5");
    }

    @Test
    void onlyLiteralsAreAddressesSoNoHopEverCausesADnsLookup() {
        assertThat(ClientAddress.literal("203.0.113.7")).isNotNull();
        assertThat(ClientAddress.literal("::1")).isNotNull();
        assertThat(ClientAddress.literal("[2001:db8::1]")).isNotNull();
        // host names made only of hex digits would otherwise reach the resolver
        assertThat(ClientAddress.literal("cafe")).isNull();
        assertThat(ClientAddress.literal("dead.beef")).isNull();
        assertThat(ClientAddress.literal("add")).isNull();
        // short and out-of-range dotted forms, which the JDK would read as other addresses
        assertThat(ClientAddress.literal("10.1")).isNull();
        assertThat(ClientAddress.literal("1.2.3")).isNull();
        assertThat(ClientAddress.literal("256.1.1.1")).isNull();
        assertThat(ClientAddress.literal("")).isNull();
        assertThat(ClientAddress.literal("fe80::1%eth0")).as("a zone names an interface").isNull();
        assertThat(from("10.0.0.5", "cafe")).isEqualTo("10.0.0.5");
    }

    @Test
    void anIpv4MappedIpv6HopIsItsIpv4Address() {
        assertThat(from("10.0.0.5", "::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(from("10.0.0.5", "203.0.113.7, ::ffff:10.0.0.2")).as("a trusted proxy written the IPv6 way").isEqualTo("203.0.113.7");
    }

    @Test
    void aRequestWithoutAPeerAndABadTrustedListAreTold() {
        for (String bad : List.of("10.0.0.0/40", "10.0.0.0/x", "10.0.0.0/", "10.0.0.0/8/8", "::/129")) {
            assertThatThrownBy(() -> new ClientAddress(List.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
        assertThat(addresses.of(MockServerHttpRequest.get("http://gateway/").build())).isEqualTo("unknown");
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.internal"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("proxy.internal");
    }
}
