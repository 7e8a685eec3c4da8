package dev.cairn.localcluster.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** How to tell that a started process can serve. */
public interface Readiness {

    HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    boolean isReady();

    /** Ready when the URI answers 200 (Spring Boot readiness probe). */
    static Readiness http(URI uri) {
        return new Readiness() {
            @Override
            public boolean isReady() {
                try {
                    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
                    return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }

            @Override
            public String toString() {
                return uri.toString();
            }
        };
    }

    /** Ready when the port accepts connections. */
    static Readiness tcp(String host, int port) {
        return new Readiness() {
            @Override
            public boolean isReady() {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(host, port), 500);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }

            @Override
            public String toString() {
                return "tcp://" + host + ":" + port;
            }
        };
    }
}
