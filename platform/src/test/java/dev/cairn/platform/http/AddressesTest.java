package dev.cairn.platform.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules for moving on to the next address, against in-JVM servers and a port nobody listens on. */
class AddressesTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private HttpServer failing;
    private HttpServer working;
    private final AtomicInteger failingCalls = new AtomicInteger();
    private final AtomicInteger workingCalls = new AtomicInteger();
    private URI closed;

    @BeforeEach
    void start() throws IOException {
        failing = server(500, "broken", failingCalls);
        working = server(200, "fine", workingCalls);
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        }
    }

    @AfterEach
    void stop() {
        failing.stop(0);
        working.stop(0);
    }

    @Test
    void anAddressThatCannotBeReachedIsPassedOverWhateverTheRule() throws Exception {
        for (Addresses.MoveOn rule : Addresses.MoveOn.values()) {
            HttpResponse<String> answer = Addresses.send(http, List.of(closed, uri(working)), 0, rule, this::get, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.body()).as(rule.name()).isEqualTo("fine");
        }
    }

    @Test
    void aCallThatMustNotBeRepeatedTakesTheFirstAnswerItGets() throws Exception {
        HttpResponse<String> answer = Addresses.send(http, List.of(uri(failing), uri(working)), 0, Addresses.MoveOn.WHEN_NOT_SENT, this::get,
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(workingCalls).hasValue(0);
    }

    @Test
    void aRepeatableCallMovesOnUntilAnAddressAnswers2xx() throws Exception {
        HttpResponse<String> answer = Addresses.send(http, List.of(uri(failing), uri(working)), 0, Addresses.MoveOn.UNLESS_2XX, this::get,
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body()).isEqualTo("fine");
        assertThat(failingCalls).hasValue(1);
    }

    @Test
    void theStartTurnsTheListSoCallsAreSpreadOverTheAddresses() throws Exception {
        Addresses.send(http, List.of(uri(failing), uri(working)), 7, Addresses.MoveOn.WHEN_NOT_SENT, this::get, HttpResponse.BodyHandlers.ofString());
        assertThat(workingCalls).as("start 7 of 2 addresses is the second").hasValue(1);
        assertThat(failingCalls).hasValue(0);
    }

    @Test
    void whenEveryAddressFailsEachIsNamedWithWhy() {
        assertThatThrownBy(() -> Addresses.send(http, List.of(closed, uri(failing)), 0, Addresses.MoveOn.UNLESS_2XX, this::get,
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(Addresses.AllFailedException.class)
                .hasMessageContaining(closed + " unreachable")
                .hasMessageContaining(uri(failing) + " answered 500");
        assertThatThrownBy(() -> Addresses.send(http, List.of(), 0, Addresses.MoveOn.UNLESS_2XX, this::get, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(Addresses.AllFailedException.class);
    }

    private HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
    }

    private static URI uri(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private static HttpServer server(int status, String body, AtomicInteger calls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }
}
