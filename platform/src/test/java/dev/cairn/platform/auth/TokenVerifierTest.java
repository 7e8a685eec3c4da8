package dev.cairn.platform.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cairn.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every way a forged, stale or foreign token must fail, against a JWKS served over real HTTP.
 */
class TokenVerifierTest {

    private static final String ISSUER = "https://cairn.test";
    private static final String AUDIENCE = "cairn";

    private final TestTokens ours = new TestTokens("key-1");
    private final TestTokens otherInstallation = new TestTokens("key-9");
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private HttpServer jwks;
    private TokenVerifier verifier;
    private final Instant now = Instant.now();

    @BeforeEach
    void serveJwks() throws IOException {
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/.well-known/jwks.json", exchange -> {
            jwksRequests.incrementAndGet();
            byte[] body = ours.jwks().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        URI uri = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json");
        verifier = new TokenVerifier(new JwksKeySource(List.of(URI.create("http://127.0.0.1:1/unreachable"), uri),
                Duration.ofSeconds(5), Duration.ofMinutes(5), Clock.systemUTC()), ISSUER, AUDIENCE, Duration.ofSeconds(30),
                Clock.systemUTC(), 100);
    }

    @AfterEach
    void stop() {
        jwks.stop(0);
    }

    private Map<String, Object> claims() {
        return TestTokens.userClaims(ISSUER, AUDIENCE, now);
    }

    @Test
    void acceptsAWellFormedTokenAndReadsItsClaims() {
        Map<String, Object> claims = claims();
        Caller caller = verifier.verify(ours.sign(ours.header(), claims));
        assertThat(caller.subject()).isEqualTo(claims.get("sub"));
        assertThat(caller.orgId()).isEqualTo(claims.get("org_id"));
        assertThat(caller.isUser()).isTrue();
        assertThat(caller.roles()).containsExactly("Member");
        assertThat(caller.sessionId()).isEqualTo(claims.get("sid"));
    }

    @Test
    void refusesAlgNone() {
        String unsigned = ours.unsigned(claims());
        assertRejected(unsigned, "not a signed JWT");
        assertRejected(unsigned + "AAAA", "unsupported algorithm");
    }

    @Test
    void refusesHs256SignedWithThePublicKey() throws Exception {
        assertRejected(ours.forgeHs256WithPublicKey(claims()), "unsupported algorithm");
    }

    @Test
    void refusesAWrongIssuer() {
        Map<String, Object> claims = claims();
        claims.put("iss", "https://evil.test");
        assertRejected(ours.sign(ours.header(), claims), "wrong issuer");
    }

    @Test
    void refusesAWrongAudience() {
        Map<String, Object> claims = claims();
        claims.put("aud", List.of("someone-else"));
        assertRejected(ours.sign(ours.header(), claims), "wrong audience");
    }

    @Test
    void refusesAnExpiredToken() {
        Map<String, Object> claims = claims();
        claims.put("iat", now.minusSeconds(3600).getEpochSecond());
        claims.put("exp", now.minusSeconds(60).getEpochSecond());
        assertRejected(ours.sign(ours.header(), claims), "token expired");
    }

    @Test
    void refusesATokenNotValidYet() {
        Map<String, Object> claims = claims();
        claims.put("nbf", now.plusSeconds(600).getEpochSecond());
        assertRejected(ours.sign(ours.header(), claims), "token not valid yet");
    }

    @Test
    void refusesAnUnknownKeyIdAndDoesNotHammerTheJwks() {
        Map<String, Object> header = ours.header();
        header.put("kid", "no-such-key");
        String token = ours.sign(header, claims());
        for (int i = 0; i < 20; i++) {
            assertRejected(token, "unknown signing key");
        }
        assertThat(jwksRequests.get()).isEqualTo(1);
    }

    @Test
    void refusesAnAlteredPayload() {
        String token = ours.sign(ours.header(), claims());
        assertRejected(TestTokens.alterClaim(token, "roles", List.of("SystemAdmin")), "bad signature");
    }

    @Test
    void refusesATokenOfAnotherInstallation() {
        assertRejected(otherInstallation.sign(otherInstallation.header(), claims()), "unknown signing key");
        // ... and with our key id forged into its header
        assertRejected(otherInstallation.sign(ours.header(), claims()), "bad signature");
    }

    @Test
    void refusesAnythingButAnAccessToken() {
        Map<String, Object> header = ours.header();
        header.put("typ", "JWT");
        assertRejected(ours.sign(header, claims()), "not an access token");
        Map<String, Object> critical = ours.header();
        critical.put("crit", List.of("exp"));
        assertRejected(ours.sign(critical, claims()), "unsupported critical header");
    }

    @Test
    void refusesGarbage() {
        assertRejected("", "missing token");
        assertRejected("abc.def", "not a signed JWT");
        assertRejected("a.b.c.d", "not a signed JWT");
        assertRejected("!!!.???.***", "malformed JWT");
        assertRejected("x".repeat(9000), "token too long");
    }

    @Test
    void aRememberedTokenStillExpires() {
        Map<String, Object> claims = claims();
        claims.put("exp", Instant.now().plusSeconds(1).getEpochSecond());
        String token = ours.sign(ours.header(), claims);
        TokenVerifier noSkew = new TokenVerifier(kid -> kid.equals(ours.kid) ? ours.publicKey : null, ISSUER, AUDIENCE, Duration.ZERO,
                Clock.systemUTC(), 100);
        assertThat(noSkew.verify(token).subject()).isEqualTo(claims.get("sub"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThatThrownBy(() -> noSkew.verify(token)).isInstanceOf(InvalidTokenException.class).hasMessage("token expired"));
    }

    private void assertRejected(String token, String reason) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class).hasMessage(reason);
    }
}
